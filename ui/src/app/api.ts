// The app shell's reads and changes of the engine: taking the last edit back (undo). The shell's reads (identity, filter choices, sync status) are the shared ones of lib/queries.ts.
import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";

import type { UseCase } from "../bindings/UseCase";
import { call } from "../lib/ipc";
import { refreshUseCase } from "../lib/queries";
import type { Inverse } from "../lib/undo";

function apply(inv: Inverse): Promise<UseCase> {
  switch (inv.cmd) {
    case "use_case_set_fields":
      return call(inv.cmd, inv.req);
    case "use_case_set_score":
      return call(inv.cmd, inv.req);
    case "use_case_set_owner":
      return call(inv.cmd, inv.req);
    case "use_case_set_archived":
      return call(inv.cmd, inv.req);
    case "use_case_set_control":
      return call(inv.cmd, inv.req);
  }
}

/**
 * Runs an edit's inverse and refreshes the use case it returns everywhere; rejects with the
 * engine's refusal. Not a mutation: the undo store runs one at a time and says what it did.
 */
export function useApplyInverse(): (inv: Inverse) => Promise<UseCase> {
  const qc = useQueryClient();
  return useCallback(
    (inv: Inverse) =>
      apply(inv).then((uc) => {
        void refreshUseCase(qc, uc);
        return uc;
      }),
    [qc],
  );
}
