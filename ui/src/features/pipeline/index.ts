// The public entry of features/pipeline: The Pipeline view.
export { PipelineView } from "./pipelineView";
