// Stage-move's reads and changes of the engine: the move itself, and reading a use case again after a stale move.
import { useQueryClient } from "@tanstack/react-query";

import { useUseCaseChange } from "../../lib/queries";

/** Moves a use case (from the Stage tab or the pipeline) and refreshes everything the move changes. */
export const useMoveStage = () => useUseCaseChange("use_case_move_stage");

/** Reads a use case's own reads again (its options and version), after a move refused as stale. */
export function useReloadUseCase() {
  const qc = useQueryClient();
  return (id: string) => void qc.invalidateQueries({ predicate: (q) => q.queryKey[1] === id });
}
