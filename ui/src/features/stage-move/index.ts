// Moving a use case between stages: the pieces the Stage & gates tab and the pipeline share.
export { GateChecklist, ImpossibleMoves, missingCount, missingNote, MoveError, MoveOptions, moveRequest, useMoveStage, type GateFix } from "./stageMove";
