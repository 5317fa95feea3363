// Settings › Scoring model: edit criteria, weights, rubrics and quadrant thresholds; saving makes a new model version.
import { useState, type FormEvent } from "react";

import type { Axis } from "../../bindings/Axis";
import type { Criterion } from "../../bindings/Criterion";
import type { ScoringModel } from "../../bindings/ScoringModel";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { IpcError } from "../../lib/ipc";
import { useScoringModel } from "../../lib/queries";
import { SaveActions } from "../../components/saveActions";
import { useSaveScoringModel } from "./api";

const AXES: readonly Axis[] = ["value", "feasibility"];
const LEVELS = ["1", "2", "3", "4", "5"] as const;

interface DraftCriterion {
  /** A stable React key: slugs change while typing. */
  key: string;
  slug: string;
  name: string;
  weight: string;
  rubric: string[];
  /** A slug typed by hand (or an existing one) is no longer derived from the name. */
  slugFixed: boolean;
}

interface Draft {
  value: DraftCriterion[];
  feasibility: DraftCriterion[];
  thresholds: { value: string; feasibility: string };
}

let keys = 0;
const nextKey = () => `c${++keys}`;

function toDraft(m: ScoringModel): Draft {
  const crit = (c: Criterion): DraftCriterion => ({
    key: nextKey(),
    slug: c.slug,
    name: c.name,
    weight: String(c.weight),
    rubric: LEVELS.map((l) => c.rubric[l] ?? ""),
    slugFixed: true,
  });
  return {
    value: m.value.map(crit),
    feasibility: m.feasibility.map(crit),
    thresholds: { value: String(m.thresholds.value), feasibility: String(m.thresholds.feasibility) },
  };
}

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

type Problems = Record<string, string>;

/** The model to send, or the problems to fix first (keyed like the engine's `error.field`). */
function fromDraft(d: Draft, version: number): { ok: true; model: ScoringModel } | { ok: false; problems: Problems } {
  const problems: Problems = {};
  const num = (text: string) => (text.trim() === "" ? NaN : Number(text));
  const axis = (a: Axis) =>
    d[a].map((c) => {
      const weight = num(c.weight);
      if (Number.isNaN(weight)) problems[`${a}.${c.slug}`] = `The weight of “${c.name || c.slug}” must be a number.`;
      return { slug: c.slug.trim(), name: c.name.trim(), weight, rubric: Object.fromEntries(LEVELS.map((l, i) => [l, c.rubric[i]?.trim() ?? ""])) };
    });
  const model: ScoringModel = {
    version,
    value: axis("value"),
    feasibility: axis("feasibility"),
    thresholds: { value: num(d.thresholds.value), feasibility: num(d.thresholds.feasibility) },
  };
  for (const a of AXES) if (Number.isNaN(model.thresholds[a])) problems[`thresholds.${a}`] = `The ${a} threshold must be a number from 0 to 100.`;
  return Object.keys(problems).length > 0 ? { ok: false, problems } : { ok: true, model };
}

export function ScoringModelEditor() {
  const model = useScoringModel();
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  if (model.error) return <ErrorNote error={model.error} />;
  if (!model.data) return <p className="loading">Loading the scoring model…</p>;
  // A new version (saved here or elsewhere) starts a fresh draft.
  return <Editor key={model.data.version} model={model.data} savedVersion={savedVersion} onSaved={setSavedVersion} />;
}

function Editor({ model, savedVersion, onSaved }: { model: ScoringModel; savedVersion: number | null; onSaved: (version: number) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(model));
  const [problems, setProblems] = useState<Problems>({});
  const [dirty, setDirty] = useState(false);

  const save = useSaveScoringModel();

  const edit = (f: (d: Draft) => Draft) => {
    setDirty(true);
    setDraft(f);
  };
  const update = (a: Axis, key: string, change: Partial<DraftCriterion>) =>
    edit((d) => ({ ...d, [a]: d[a].map((c) => (c.key === key ? { ...c, ...change } : c)) }));
  const addCriterion = (a: Axis) =>
    edit((d) => ({ ...d, [a]: [...d[a], { key: nextKey(), slug: "", name: "", weight: "1", rubric: ["", "", "", "", ""], slugFixed: false }] }));
  const removeCriterion = (a: Axis, key: string) => edit((d) => ({ ...d, [a]: d[a].filter((c) => c.key !== key) }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.reset();
    const result = fromDraft(draft, model.version);
    if (result.ok) {
      setProblems({});
      save.mutate(result.model, {
        onSuccess: (m) => onSaved(m.version),
        onError: (e) => {
          const err = IpcError.from(e);
          if (err.field) setProblems({ [err.field]: err.message });
        },
      });
    } else {
      setProblems(result.problems);
    }
  };

  const otherError = save.error instanceof IpcError && !save.error.field ? save.error : null;

  return (
    <form className="form model-editor" onSubmit={submit} noValidate aria-labelledby="model-heading">
      <h2 id="model-heading">Scoring model</h2>
      <p className="hint">
        Active version {model.version}. Saving creates version {model.version + 1} and recomputes the scores of every use case; earlier versions and what they
        scored stay in each use case’s history. Changing a criterion’s slug starts it unscored.
      </p>
      {AXES.map((a) => (
        <fieldset key={a} className="axis-editor">
          <legend>{a === "value" ? "Value criteria" : "Feasibility criteria"}</legend>
          <FieldError id={`model-${a}-error`} message={problems[a]} />
          {draft[a].map((c, i) => {
            const error = problems[`${a}.${c.slug}`];
            const id = `crit-${c.key}`;
            return (
              <fieldset key={c.key} className={error ? "criterion-editor invalid" : "criterion-editor"} aria-describedby={error ? `${id}-error` : undefined}>
                <legend>{c.name || `New criterion ${i + 1}`}</legend>
                <div className="form-row">
                  <div className="field">
                    <label htmlFor={`${id}-name`}>Name</label>
                    <input
                      id={`${id}-name`}
                      value={c.name}
                      onChange={(e) => update(a, c.key, c.slugFixed ? { name: e.target.value } : { name: e.target.value, slug: slugify(e.target.value) })}
                    />
                  </div>
                  <div className="field">
                    <label htmlFor={`${id}-slug`}>Slug</label>
                    <input id={`${id}-slug`} value={c.slug} onChange={(e) => update(a, c.key, { slug: e.target.value, slugFixed: true })} spellCheck={false} />
                  </div>
                  <div className="field narrow">
                    <label htmlFor={`${id}-weight`}>Weight</label>
                    <input id={`${id}-weight`} inputMode="decimal" value={c.weight} onChange={(e) => update(a, c.key, { weight: e.target.value })} />
                  </div>
                </div>
                <div className="rubric-editor">
                  {LEVELS.map((l, li) => (
                    <div key={l} className="field">
                      <label htmlFor={`${id}-rubric-${l}`}>Score {l} means</label>
                      <input
                        id={`${id}-rubric-${l}`}
                        value={c.rubric[li] ?? ""}
                        onChange={(e) => update(a, c.key, { rubric: c.rubric.map((t, j) => (j === li ? e.target.value : t)) })}
                      />
                    </div>
                  ))}
                </div>
                <FieldError id={`${id}-error`} message={error} />
                <button type="button" className="link-button danger" onClick={() => removeCriterion(a, c.key)}>
                  Remove {c.name || "this criterion"}
                </button>
              </fieldset>
            );
          })}
          <button type="button" onClick={() => addCriterion(a)}>
            Add {a} criterion
          </button>
        </fieldset>
      ))}
      <fieldset className="thresholds">
        <legend>Quadrant thresholds (0–100; a score equal to its threshold counts as high)</legend>
        <div className="form-row">
          {AXES.map((a) => (
            <div key={a} className="field narrow">
              <label htmlFor={`threshold-${a}`}>{a === "value" ? "Value" : "Feasibility"}</label>
              <input
                id={`threshold-${a}`}
                inputMode="decimal"
                value={draft.thresholds[a]}
                onChange={(e) => edit((d) => ({ ...d, thresholds: { ...d.thresholds, [a]: e.target.value } }))}
                aria-invalid={Boolean(problems[`thresholds.${a}`])}
                aria-describedby={problems[`thresholds.${a}`] ? `threshold-${a}-error` : undefined}
              />
              <FieldError id={`threshold-${a}-error`} message={problems[`thresholds.${a}`]} />
            </div>
          ))}
        </div>
      </fieldset>
      <ErrorNote error={otherError} />
      <SaveActions
        pending={save.isPending}
        saved={!dirty && savedVersion === model.version && `Saved as version ${model.version}; every use case was re-scored.`}
        sticky
      >
        <button
          type="button"
          onClick={() => {
            setDraft(toDraft(model));
            setProblems({});
            setDirty(false);
          }}
        >
          Reset
        </button>
        {dirty && <span className="status">Unsaved changes</span>}
      </SaveActions>
    </form>
  );
}
