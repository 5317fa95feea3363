// The Scoring tab: each criterion's 1–5 rubric (saved on click), the derived scores and what each criterion contributed.
import { useId, useRef, useState, type KeyboardEvent } from "react";

import { QuadrantBadge } from "../../../components/badges";
import type { Axis } from "../../../bindings/Axis";
import type { Contribution } from "../../../bindings/Contribution";
import type { Criterion } from "../../../bindings/Criterion";
import type { ScoringModel } from "../../../bindings/ScoringModel";
import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote } from "../../../components/errorNote";
import { score } from "../../../lib/format";
import { IpcError } from "../../../lib/ipc";
import { useScoringModel, useSensitivity } from "../../../lib/queries";
import { useUndo } from "../../../lib/undo";
import { useSetScore } from "../api";

const LEVELS = [1, 2, 3, 4, 5] as const;
/** The top-N line the sensitivity check reports crossings of. */
const TOP = 10;

type SaveState = { state: "saving"; pending: number | null } | { state: "saved" } | { state: "failed"; error: IpcError };

export function ScoringSection({ uc }: { uc: UseCase }) {
  const model = useScoringModel();
  const [status, setStatus] = useState<Record<string, SaveState>>({});

  const undo = useUndo();

  const save = useSetScore();
  const pickScore = (v: { criterion: string; name: string; score: number | null; old: number | null }) => {
    setStatus((s) => ({ ...s, [v.criterion]: { state: "saving", pending: v.score } }));
    // Through the promise, not mutate's callbacks: a second criterion picked before the first is saved must not lose the first's answer.
    void save.mutateAsync({ id: uc.id, criterion: v.criterion, score: v.score }).then(
      (next) => {
        setStatus((s) => ({ ...s, [v.criterion]: { state: "saved" } }));
        undo.record({
          id: next.id,
          done: "Score saved",
          what: `score of ${v.name} on “${next.title}”`,
          inverse: { cmd: "use_case_set_score", req: { id: next.id, criterion: v.criterion, score: v.old, expect_version: next.version } },
        });
      },
      (e: unknown) => setStatus((s) => ({ ...s, [v.criterion]: { state: "failed", error: IpcError.from(e) } })),
    );
  };

  if (model.error) return <ErrorNote error={model.error} />;
  if (!model.data) return <p className="loading">Loading the scoring model…</p>;
  const m = model.data;

  return (
    <div className="scoring">
      <ScoreSummary uc={uc} model={m} />
      <Stability uc={uc} />
      {(["value", "feasibility"] as const).map((axis) => (
        <section key={axis} className="axis" aria-labelledby={`axis-${axis}`}>
          <h3 id={`axis-${axis}`}>{axis === "value" ? "Value" : "Feasibility"} criteria</h3>
          {m[axis].map((c) => {
            const st = status[c.slug];
            const shown = st?.state === "saving" ? st.pending : (uc.scores[c.slug] ?? null);
            return (
              <CriterionScore
                key={c.slug}
                criterion={c}
                value={shown}
                status={st}
                contribution={contributionOf(uc, axis, c.slug)}
                onPick={(n) => pickScore({ criterion: c.slug, name: c.name, score: n, old: uc.scores[c.slug] ?? null })}
              />
            );
          })}
        </section>
      ))}
      <p className="hint">Model version {m.version}. Scores are absolute: all 1s give 0 and all 5s give 100, whatever the rest of the portfolio scores.</p>
    </div>
  );
}

/** How much the ranking of this use case depends on the weights: the portfolio's ±20% sensitivity check, for this one use case. */
function Stability({ uc }: { uc: UseCase }) {
  const scored = uc.priority !== null;
  const sensitivity = useSensitivity(TOP, { enabled: scored });
  // Only fully scored use cases are ranked, so only they can be stable or not.
  const mine = scored ? sensitivity.data?.use_cases.find((u) => u.id === uc.id) : undefined;
  if (!mine) return null;
  return (
    <section className="stability" aria-label="Weight sensitivity">
      {mine.volatile ? (
        <p>
          <strong>Volatile:</strong> {mine.reasons.join("; ")}.
        </p>
      ) : (
        <p>
          <strong>Stable under ±20% weight changes:</strong> its quadrant and whether it is in the top {TOP} hold.
        </p>
      )}
    </section>
  );
}

function contributionOf(uc: UseCase, axis: Axis, slug: string): Contribution | undefined {
  return uc.score_breakdown[axis].find((c) => c.criterion === slug);
}

function ScoreSummary({ uc, model }: { uc: UseCase; model: ScoringModel }) {
  const names = new Map(model.value.concat(model.feasibility).map((c) => [c.slug, c.name]));
  return (
    <section className="score-summary" aria-label="Scores" aria-live="polite">
      <dl className="score-figures">
        <div>
          <dt>Value</dt>
          <dd data-testid="value-score">{score(uc.value_score)}</dd>
        </div>
        <div>
          <dt>Feasibility</dt>
          <dd data-testid="feasibility-score">{score(uc.feasibility_score)}</dd>
        </div>
        <div>
          <dt>Priority</dt>
          <dd data-testid="priority-score">{score(uc.priority)}</dd>
        </div>
        <div>
          <dt>Quadrant</dt>
          <dd data-testid="quadrant">
            <QuadrantBadge quadrant={uc.quadrant} />
          </dd>
        </div>
      </dl>
      <p className="hint">
        Scores run 0–100; an axis shows “—” until every one of its criteria is scored. Quadrant thresholds: value {model.thresholds.value}, feasibility{" "}
        {model.thresholds.feasibility}.
      </p>
      <div className="breakdown">
        {(["value", "feasibility"] as const).map((axis) => {
          const parts = uc.score_breakdown[axis];
          const totalWeight = parts.reduce((s, p) => s + p.weight, 0) || 1;
          return (
            <table key={axis} className="breakdown-table">
              <caption>What each {axis} criterion contributed</caption>
              <thead>
                <tr>
                  <th scope="col">Criterion</th>
                  <th scope="col" className="num">
                    Points
                  </th>
                  <th scope="col" className="num">
                    of max
                  </th>
                </tr>
              </thead>
              <tbody>
                {parts.map((p) => {
                  const max = (p.weight * 100) / totalWeight;
                  const filled = p.contribution === null ? 0 : (p.contribution / max) * 100;
                  return (
                    <tr key={p.criterion}>
                      <th scope="row">
                        {names.get(p.criterion) ?? p.criterion}
                        <span className="bar" aria-hidden="true">
                          <span style={{ width: `${filled}%` }} />
                        </span>
                      </th>
                      <td className="num">{p.contribution === null ? "—" : `+${p.contribution.toFixed(1)}`}</td>
                      <td className="num muted">{max.toFixed(1)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          );
        })}
      </div>
    </section>
  );
}

function CriterionScore({
  criterion,
  value,
  status,
  contribution,
  onPick,
}: {
  criterion: Criterion;
  value: number | null;
  status: SaveState | undefined;
  contribution: Contribution | undefined;
  onPick: (n: number | null) => void;
}) {
  const nameId = useId();
  const textId = useId();
  const group = useRef<HTMLDivElement>(null);
  const tabStop = value ?? 1;

  // Arrows move between levels; Enter or Space (a click) picks one, so browsing writes nothing.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const buttons = Array.from(group.current?.querySelectorAll<HTMLButtonElement>("[role=radio]") ?? []);
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const next = e.key === "ArrowRight" || e.key === "ArrowDown" ? at + 1 : e.key === "ArrowLeft" || e.key === "ArrowUp" ? at - 1 : null;
    if (next === null) return;
    e.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };

  return (
    <div className="criterion">
      <div className="criterion-head">
        <span id={nameId} className="criterion-name">
          {criterion.name}
        </span>
        <span className="muted">weight {criterion.weight}</span>
        <SaveStatus status={status} />
      </div>
      <div className="levels">
        <div ref={group} role="radiogroup" aria-labelledby={nameId} aria-describedby={textId} onKeyDown={onKeyDown}>
          {LEVELS.map((n) => {
            const text = criterion.rubric[String(n)] ?? "";
            return (
              <button
                key={n}
                type="button"
                role="radio"
                aria-checked={value === n}
                aria-label={`${n}: ${text}`}
                title={text}
                tabIndex={n === tabStop ? 0 : -1}
                data-testid={`score-${criterion.slug}-${n}`}
                className="level"
                onClick={() => value !== n && onPick(n)}
              >
                {n}
              </button>
            );
          })}
        </div>
        <button type="button" className="link-button" data-testid={`score-${criterion.slug}-clear`} disabled={value === null} onClick={() => onPick(null)}>
          Clear
        </button>
        {contribution?.contribution !== null && contribution?.contribution !== undefined && (
          <span className="muted contribution">+{contribution.contribution.toFixed(1)} points</span>
        )}
      </div>
      <p id={textId} className="rubric-text">
        {value === null ? <span className="muted">Not scored yet</span> : `${value} — ${criterion.rubric[String(value)] ?? ""}`}
      </p>
      {status?.state === "failed" && <ErrorNote error={status.error} />}
    </div>
  );
}

function SaveStatus({ status }: { status: SaveState | undefined }) {
  if (!status) return null;
  const text = status.state === "saving" ? "Saving…" : status.state === "saved" ? "Saved" : "Not saved";
  return (
    <span className={`status ${status.state === "saved" ? "ok" : status.state === "failed" ? "bad" : ""}`} role="status">
      {text}
    </span>
  );
}
