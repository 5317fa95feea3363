// Settings › Stage gates: what a use case needs before it moves forward into each stage from Assessment to Scaled; saving makes a new rules version.
import { useState, type FormEvent } from "react";

import type { GateRules } from "../../bindings/GateRules";
import type { Requirement } from "../../bindings/Requirement";
import type { Stage } from "../../bindings/Stage";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { IpcError } from "../../lib/ipc";
import { useGateRules } from "../../lib/queries";
import { GATED_STAGES, requirementChoice, requirementKey, requirementLabel, REQUIREMENTS, STAGE_LABEL } from "../../lib/vocabulary";
import { SaveActions } from "../../components/saveActions";
import { useSaveGateRules } from "./api";

type Draft = Partial<Record<Stage, Requirement[]>>;

/** The "Add requirement" menu, grouped by kind. */
const GROUPS: readonly { label: string; kinds: readonly Requirement["kind"][] }[] = [
  { label: "An owner", kinds: ["owner"] },
  { label: "A field filled in", kinds: ["field"] },
  { label: "Scoring", kinds: ["all_scored"] },
  { label: "Patterns & controls", kinds: ["primary_pattern", "controls_in_place"] },
  { label: "Risk", kinds: ["triage"] },
];

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function toDraft(rules: GateRules): Draft {
  return Object.fromEntries(GATED_STAGES.map((s) => [s, [...(rules.stages[s] ?? [])]]));
}

/** The rules to send: gated stages with at least one requirement. */
function fromDraft(d: Draft, version: number): GateRules {
  return { version, stages: Object.fromEntries(GATED_STAGES.filter((s) => (d[s]?.length ?? 0) > 0).map((s) => [s, d[s]])) };
}

export function GateRulesEditor() {
  const rules = useGateRules();
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  if (rules.error) return <ErrorNote error={rules.error} />;
  if (!rules.data) return <p className="loading">Loading the stage gates…</p>;
  // A new version (saved here or elsewhere) starts a fresh draft.
  return <Editor key={rules.data.version} rules={rules.data} savedVersion={savedVersion} onSaved={setSavedVersion} />;
}

function Editor({ rules, savedVersion, onSaved }: { rules: GateRules; savedVersion: number | null; onSaved: (version: number) => void }) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(rules));
  const [dirty, setDirty] = useState(false);
  const save = useSaveGateRules();

  const edit = (stage: Stage, f: (reqs: Requirement[]) => Requirement[]) => {
    setDirty(true);
    save.reset();
    setDraft((d) => ({ ...d, [stage]: f(d[stage] ?? []) }));
  };
  const add = (stage: Stage, key: string) => {
    const r = REQUIREMENTS.find((x) => requirementKey(x) === key);
    if (r) edit(stage, (reqs) => [...reqs, r]);
  };
  const remove = (stage: Stage, key: string) => edit(stage, (reqs) => reqs.filter((x) => requirementKey(x) !== key));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(fromDraft(draft, rules.version), { onSuccess: (r) => onSaved(r.version) });
  };
  const reset = () => {
    setDraft(toDraft(rules));
    setDirty(false);
    save.reset();
  };

  // The engine names the stage in `field` (`stages.<stage>`): put the error beside that stage.
  const error = save.error instanceof IpcError ? save.error : null;
  const fieldProblem = error?.field?.startsWith("stages.") ? error : null;
  const problemStage = fieldProblem ? GATED_STAGES.find((s) => fieldProblem.field === `stages.${s}`) : undefined;
  const formError = error && !(fieldProblem && problemStage) ? error : null;

  return (
    <form className="form gate-editor" onSubmit={submit} noValidate aria-labelledby="gates-heading">
      <h2 id="gates-heading">Stage gates</h2>
      <p className="hint">
        What a use case needs before it moves forward into each stage. Rules version {rules.version}; saving creates version {rules.version + 1}. Moves back,
        parking and retiring need a note instead of a gate.
      </p>
      {GATED_STAGES.map((stage) => {
        const reqs = draft[stage] ?? [];
        const taken = new Set(reqs.map(requirementKey));
        const message = problemStage === stage ? fieldProblem?.message : undefined;
        const id = `gate-${stage}`;
        return (
          <fieldset key={stage} className={message ? "gate-stage invalid" : "gate-stage"} aria-describedby={message ? `${id}-error` : undefined}>
            <legend>Moving into {STAGE_LABEL[stage]}</legend>
            {reqs.length === 0 ? (
              <p className="muted">Nothing required</p>
            ) : (
              <ul className="requirement-list" aria-label={`Requirements for ${STAGE_LABEL[stage]}`}>
                {reqs.map((r) => (
                  <li key={requirementKey(r)}>
                    <span>{capital(requirementLabel(r))}</span>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={`Remove “${requirementLabel(r)}” from ${STAGE_LABEL[stage]}`}
                      title="Remove"
                      onClick={() => remove(stage, requirementKey(r))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <label htmlFor={`${id}-add`} className="visually-hidden">
              Add a requirement to {STAGE_LABEL[stage]}
            </label>
            <select id={`${id}-add`} className="requirement-add" value="" onChange={(e) => add(stage, e.target.value)}>
              <option value="">Add requirement…</option>
              {GROUPS.map((g) => {
                const free = REQUIREMENTS.filter((r) => g.kinds.includes(r.kind) && !taken.has(requirementKey(r)));
                return (
                  free.length > 0 && (
                    <optgroup key={g.label} label={g.label}>
                      {free.map((r) => (
                        <option key={requirementKey(r)} value={requirementKey(r)}>
                          {requirementChoice(r)}
                        </option>
                      ))}
                    </optgroup>
                  )
                );
              })}
            </select>
            <FieldError id={`${id}-error`} message={message} />
          </fieldset>
        );
      })}
      <ErrorNote error={formError} />
      <SaveActions pending={save.isPending} saved={!dirty && savedVersion === rules.version && `Saved as version ${rules.version}.`}>
        <button type="button" onClick={reset}>
          Reset
        </button>
        {dirty && <span className="status">Unsaved changes</span>}
      </SaveActions>
    </form>
  );
}
