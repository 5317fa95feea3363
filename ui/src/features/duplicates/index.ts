// The public entry of features/duplicates: The Likely duplicates view.
export { DuplicatesView } from "./duplicatesView";
