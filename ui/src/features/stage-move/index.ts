// Moving a use case between stages: the pieces the Stage & gates tab and the pipeline share.
export { GateChecklist, ImpossibleMoves, missingCount, missingNote, MoveError, MoveOptions, moveRequest, type GateFix } from "./stageMove";
export { useMoveStage } from "./api";
