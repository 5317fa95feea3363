// Pipeline's reads and changes of the engine: the use case and its stage options read afresh for a dropped card (the move itself is features/stage-move's).
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

import { apiQuery } from "../../lib/queries";

/** Reads a use case and its stage options afresh, past the cache: the gate answer and the version a move is made against must be today's. */
export function useReadMoveAfresh() {
  const qc = useQueryClient();
  return useCallback(
    (id: string) =>
      Promise.all([
        qc.fetchQuery({ ...apiQuery("use_case_get", id), staleTime: 0 }),
        qc.fetchQuery({ ...apiQuery("use_case_stage_options", id), staleTime: 0 }),
      ]),
    [qc],
  );
}
