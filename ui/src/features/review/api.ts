// Review's reads and changes of the engine: what changed since the latest review point, and marking a new one.
import { useMutation, useQueryClient } from "@tanstack/react-query";

import { call } from "../../lib/ipc";
import { apiKey, useRead, type ReadOptions } from "../../lib/queries";

export const useReviewChanges = (o?: ReadOptions<"review_changes">) => useRead("review_changes", [], o);

/** Marks a review point now, with an optional note; the changes since then are read again. */
export function useMarkReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (note: string | null) => call("review_mark", note),
    onSuccess: () => qc.invalidateQueries({ queryKey: apiKey("review_changes") }),
  });
}
