// "Similar use cases" under a title being typed: what the portfolio already holds that looks alike, so a team finds an existing effort before starting another.
import { keepPreviousData } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";

import { useSimilarToDraft } from "./api";
import "./similarUseCases.css";

/** Asking the engine after every key would be wasted work: only once typing pauses. */
const PAUSE_MS = 250;
/** Shorter titles match almost anything. */
const MIN_TITLE = 3;

interface DraftText {
  title: string;
  problem: string;
  solution: string;
}

/** The text as it was when typing last paused. */
function usePaused({ title, problem, solution }: DraftText): DraftText {
  const [paused, setPaused] = useState<DraftText>({ title, problem, solution });
  useEffect(() => {
    const t = setTimeout(() => setPaused({ title, problem, solution }), PAUSE_MS);
    return () => clearTimeout(t);
  }, [title, problem, solution]);
  return paused;
}

interface Props extends DraftText {
  /** The use case being edited, which is not similar to itself. */
  exclude?: string;
  onOpen: (id: string) => void;
  /** What opening one does to the form. */
  hint: string;
}

export function SimilarUseCases({ exclude, onOpen, hint, ...text }: Props) {
  const headingId = useId();
  const draft = usePaused(text);
  const title = draft.title.trim();
  const similar = useSimilarToDraft(
    { title, problem: draft.problem.trim(), solution: draft.solution.trim(), exclude },
    {
      enabled: title.length >= MIN_TITLE,
      // Keep the last list while the next is fetched, so it does not flicker at every pause.
      placeholderData: keepPreviousData,
    },
  );
  const found = title.length >= MIN_TITLE ? (similar.data ?? []) : [];

  return (
    <div aria-live="polite">
      {found.length > 0 && (
        <section className="similar-use-cases" aria-labelledby={headingId}>
          <h4 id={headingId}>Similar use cases</h4>
          <p className="hint">{hint}</p>
          <ul aria-labelledby={headingId}>
            {found.map((s) => (
              <li key={s.id}>
                <button type="button" className="link-button" onClick={() => onOpen(s.id)}>
                  {s.title}
                </button>
                <span className="similarity">{Math.round(s.similarity * 100)}% similar</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
