// The public entry of features/use-case: One use case: the side panel with its tabs, the new-use-case form, and merging two.
export { SidePanel, samePanel, type PanelTarget } from "./useCasePanel";
export { MergeDialog } from "./mergeDialog";
