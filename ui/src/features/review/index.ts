// The public entry of features/review: The Since last review view.
export { ReviewView } from "./reviewView";
