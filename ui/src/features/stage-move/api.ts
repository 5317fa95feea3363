// Stage-move's reads and changes of the engine: the move itself, and reading a use case again after a stale move.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { MoveStage } from "../../bindings/MoveStage";
import { call } from "../../lib/ipc";
import { refreshUseCase } from "../../lib/queries";

/** Moves a use case (from the Stage tab or the pipeline) and refreshes everything the move changes. */
export function useMoveStage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (m: MoveStage) => call("use_case_move_stage", m),
    onSuccess: (next) => void refreshUseCase(qc, next),
  });
}

/** Reads a use case's own reads again (its options and version), after a move refused as stale. */
export function useReloadUseCase() {
  const qc = useQueryClient();
  return (id: string) => void qc.invalidateQueries({ predicate: (q) => q.queryKey[1] === id });
}
