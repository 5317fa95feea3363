// The public entry of features/patterns: The Patterns view: the catalogue, its forms and mapping in bulk.
export { PatternsView } from "./patternsView";
