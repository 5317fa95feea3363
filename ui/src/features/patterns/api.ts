// Patterns' reads and changes of the engine: adding, editing and retiring catalogue patterns, and mapping use cases to one in bulk.
// The catalogue itself and the use case lists are the shared reads of lib/queries.ts (`useCatalogue`, `useUseCaseList`).
import { useMutation, useQueryClient } from "@tanstack/react-query";

import type { Pattern } from "../../bindings/Pattern";
import type { PatternInput } from "../../bindings/PatternInput";
import { call, IpcError } from "../../lib/ipc";
import { apiKey, everythingChanged, refreshUseCases } from "../../lib/queries";

/** Adds a pattern (`editing` null) or saves an edit of `editing`. A new pattern changes only the catalogue; an edit changes what its use cases inherit. */
export function useSavePattern(editing: Pattern | null) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (req: PatternInput) => (editing ? call("pattern_edit", req) : call("pattern_add", req)),
    onSuccess: () => void (editing ? everythingChanged(qc) : qc.invalidateQueries({ queryKey: apiKey("pattern_catalogue") })),
  });
}

/** Retires a pattern, or brings it back: every use case mapped to it shows whether it is retired. */
export function useRetirePattern(slug: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (retired: boolean) => call("pattern_retire", { slug, retired }),
    onSuccess: () => void everythingChanged(qc),
  });
}

/** Reads everything again (after an edit refused as stale); resolves once it is read. */
export function useReloadAll(): () => Promise<void> {
  const qc = useQueryClient();
  return () => everythingChanged(qc);
}

/** Mapping use cases to a pattern in one go: which ones, to which pattern, as primary or not. */
export interface MapToPattern {
  pattern: Pattern;
  primary: boolean;
  useCases: readonly { id: string; title: string }[];
}

/** What a bulk mapping did: the use cases mapped, and each refusal with its reason. */
export interface MapOutcome {
  pattern: Pattern;
  primary: boolean;
  mapped: { id: string; title: string; keptPrimary: boolean }[];
  refused: { id: string; title: string; reason: string }[];
}

/** Maps each use case in turn (one call each, so one refusal does not stop the others), then refetches the ones mapped. */
export function useMapToPattern() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ pattern, primary, useCases }: MapToPattern): Promise<MapOutcome> => {
      const out: MapOutcome = { pattern, primary, mapped: [], refused: [] };
      for (const { id, title } of useCases) {
        try {
          const uc = await call("use_case_map_pattern", { use_case_id: id, pattern_slug: pattern.slug, primary });
          const keptPrimary = !primary && uc.patterns.some((l) => l.slug === pattern.slug && l.primary);
          out.mapped.push({ id, title, keptPrimary });
        } catch (e) {
          out.refused.push({ id, title, reason: IpcError.from(e).message });
        }
      }
      return out;
    },
    onSuccess: (out) =>
      void refreshUseCases(
        qc,
        out.mapped.map((m) => m.id),
      ),
  });
}
