// The public entry of features/matrix: The Matrix view.
export { MatrixView } from "./matrixView";
