// The Risk triage tab: the EU AI Act questions of the current rule set, answered yes or no and saved at once, and the tier they give with the reasons.
import { useMemo, useState, type FormEvent } from "react";

import { TierBadge } from "../../../components/badges";
import type { Effect } from "../../../bindings/Effect";
import type { Question } from "../../../bindings/Question";
import type { RuleSet } from "../../../bindings/RuleSet";
import type { Triage } from "../../../bindings/Triage";
import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote } from "../../../components/errorNote";
import { indexPeople, personName } from "../../../lib/format";
import { stagesAsking } from "./patternsSection";
import { Moment, usePreferences } from "../../../lib/preferences";
import { useGateRules, usePeople } from "../../../lib/queries";
import "./triageSection.css";
import { TIER_LABEL } from "../../../lib/vocabulary";
import { useRecordTriage, useTriageRules } from "../api";

interface Group {
  id: string;
  label: string;
  effects: readonly Effect[];
  /** Asked only once an Annex III area applies: they can only lift a high-risk status. */
  afterAnnexIII?: boolean;
  hint?: string;
}

const GROUPS: readonly Group[] = [
  { id: "prohibited", label: "Prohibited practices — Article 5", effects: ["prohibited"] },
  { id: "annex-i", label: "Products under Annex I", effects: ["high_annex_i"] },
  { id: "annex-iii", label: "High-risk areas — Annex III", effects: ["high_annex_iii"] },
  {
    id: "exceptions",
    label: "Exceptions — Article 6(3) and profiling",
    effects: ["exception", "profiling"],
    afterAnnexIII: true,
    hint: "Asked because an Annex III area applies: an exception can lift the high-risk status, but never when the system profiles people.",
  },
  { id: "transparency", label: "Transparency — Article 50", effects: ["transparency"] },
];

type Answers = Record<string, boolean>;

function inAnnexIII(rules: RuleSet, answers: Answers): boolean {
  return rules.questions.some((q) => q.effect === "high_annex_iii" && answers[q.id] === true);
}

/** The questions the form shows for these answers. */
function visibleQuestions(rules: RuleSet, answers: Answers): Question[] {
  const annexIII = inAnnexIII(rules, answers);
  return rules.questions.filter((q) => annexIII || !GROUPS.some((g) => g.afterAnnexIII && g.effects.includes(q.effect)));
}

export function TriageSection({ uc }: { uc: UseCase }) {
  const rules = useTriageRules();
  const [saved, setSaved] = useState<string | null>(null);
  const r = rules.data;
  return (
    <div className="triage-tab">
      <section aria-labelledby="triage-heading" className="triage-rules">
        {/* There (in the same place) before the rules load: a gate's "Go to Risk triage" focuses it. */}
        <h3 id="triage-heading" tabIndex={-1}>
          {r?.title ?? "Risk triage"}
        </h3>
        {r ? <RuleSetNote rules={r} /> : rules.error ? <ErrorNote error={rules.error} /> : <p className="loading">Loading the triage questions…</p>}
      </section>
      {r && <Triaging uc={uc} rules={r} saved={saved} onSaved={setSaved} />}
    </div>
  );
}

/** Where the questions come from, and that they are guidance. */
function RuleSetNote({ rules: r }: { rules: RuleSet }) {
  return (
    <>
      <p className="triage-source">
        Rules version {r.version} · {r.source} · text of {r.date}
      </p>
      <p className="triage-disclaimer" role="note">
        {r.disclaimer}
      </p>
      <GateNote />
    </>
  );
}

/** The recorded triage (with a re-triage banner when the rules changed) and the questions. */
function Triaging({ uc, rules: r, saved, onSaved }: { uc: UseCase; rules: RuleSet; saved: string | null; onSaved: (message: string | null) => void }) {
  const t = uc.triage;
  return (
    <>
      {t?.needs_retriage && <RetriageBanner triage={t} rules={r} />}
      {t ? <TriageResult triage={t} rules={r} /> : <p className="muted">Not triaged yet: answer the questions below and save.</p>}
      {saved && (
        <p className="status ok" role="status">
          {saved}
        </p>
      )}
      {/* A triage recorded elsewhere (or just now) starts the form again from its answers. */}
      <TriageForm key={t?.at ?? "none"} uc={uc} rules={r} onSaved={onSaved} />
    </>
  );
}

/** Which gates ask for a triage, so the person knows why it matters now. */
function GateNote() {
  const gates = useGateRules();
  const stages = stagesAsking(gates.data, "triage");
  if (!stages) return null;
  return <p className="hint">Moving into {stages} needs a finished triage that is not prohibited.</p>;
}

function questionLabel(rules: RuleSet, id: string): string {
  const q = rules.questions.find((x) => x.id === id);
  return q ? `${q.reference}: ${q.text}` : id;
}

function RetriageBanner({ triage, rules }: { triage: Triage; rules: RuleSet }) {
  return (
    <section className="retriage-banner" aria-labelledby="retriage-heading">
      <h4 id="retriage-heading">The rules changed: triage again</h4>
      <p>
        This triage was answered under rules version {triage.version}; version {rules.version} added or changed questions it depends on. Check these answers and
        save again:
      </p>
      <ul aria-label="Questions to answer again">
        {triage.affected.map((id) => (
          <li key={id}>{questionLabel(rules, id)}</li>
        ))}
      </ul>
    </section>
  );
}

const FLAG_WORD = (v: boolean | null) => (v === null ? "not said" : v ? "yes" : "no");

function TriageResult({ triage: t, rules }: { triage: Triage; rules: RuleSet }) {
  const people = usePeople();
  const index = useMemo(() => indexPeople(people.data), [people.data]);
  const prefs = usePreferences();
  const unfinished = t.outcome.tier === "not-yet-triaged";
  return (
    <section className="triage-result" aria-labelledby="triage-result-heading" data-tier={t.outcome.tier}>
      <h3 id="triage-result-heading">Triage result</h3>
      <p className="triage-tier">
        <TierBadge tier={t.outcome.tier} retriage={t.needs_retriage} />
        <span className="muted">
          {" "}
          by {personName(t.actor, index)}, <Moment at={t.at} format={prefs.date_format} /> · rules version {t.version}
        </span>
      </p>
      {t.outcome.reasons.length > 0 && (
        <ul className="triage-reasons" aria-label="Why this tier">
          {t.outcome.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      )}
      {unfinished && t.outcome.needed.length > 0 && (
        <>
          <p>Not finished: these questions could still change the tier.</p>
          <ul className="triage-needed" aria-label="Still needed">
            {t.outcome.needed.map((id) => (
              <li key={id}>{questionLabel(rules, id)}</li>
            ))}
          </ul>
        </>
      )}
      <p className="muted small">
        High impact: {FLAG_WORD(t.high_impact)} · Personal data: {FLAG_WORD(t.personal_data)}
      </p>
    </section>
  );
}

/** `onSaved` says what was saved (null: the answers changed since). */
function TriageForm({ uc, rules, onSaved }: { uc: UseCase; rules: RuleSet; onSaved: (message: string | null) => void }) {
  const t = uc.triage;
  const [answers, setAnswers] = useState<Answers>(() => ({ ...(t?.answers ?? {}) }));
  const [highImpact, setHighImpact] = useState(t?.high_impact ?? false);
  const [personalData, setPersonalData] = useState(t?.personal_data ?? false);
  const visible = visibleQuestions(rules, answers);

  const save = useRecordTriage();

  const answer = (id: string, yes: boolean) => {
    save.reset();
    onSaved(null);
    setAnswers((a) => ({ ...a, [id]: yes }));
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(
      {
        use_case_id: uc.id,
        // Only what the person can see: answers to questions hidden again (no Annex III area any more) would be stale.
        answers: Object.fromEntries(visible.filter((q) => q.id in answers).map((q) => [q.id, answers[q.id]!])),
        high_impact: highImpact,
        personal_data: personalData,
      },
      {
        onSuccess: (next) => {
          if (next.triage) onSaved(`Triage saved: ${TIER_LABEL[next.triage.outcome.tier]}.`);
        },
      },
    );
  };

  const annexIII = inAnnexIII(rules, answers);
  const answered = visible.filter((q) => q.id in answers).length;
  // Marked in the form: what changed in the rules since the saved triage, and what it still needs.
  const mark = (id: string): string | null => {
    if (t?.affected.includes(id)) return "the rules changed: check this answer";
    if (t?.outcome.needed.includes(id) && !(id in answers)) return "still needed";
    return null;
  };

  return (
    <form className="form triage-form" onSubmit={submit} noValidate aria-label="Risk triage questions">
      {GROUPS.filter((g) => !g.afterAnnexIII || annexIII).map((g) => (
        <fieldset key={g.id} className="triage-group">
          <legend>{g.label}</legend>
          {g.hint && <p className="hint">{g.hint}</p>}
          {rules.questions
            .filter((q) => g.effects.includes(q.effect))
            .map((q) => (
              <QuestionItem key={q.id} question={q} value={answers[q.id]} mark={mark(q.id)} onAnswer={(yes) => answer(q.id, yes)} />
            ))}
        </fieldset>
      ))}
      <fieldset className="triage-group">
        <legend>Your organisation's flags</legend>
        <p className="hint">Kept beside the tier; they do not change it.</p>
        <label className="triage-flag">
          <input type="checkbox" checked={highImpact} onChange={(e) => setHighImpact(e.target.checked)} />
          High impact on people or the organisation
        </label>
        <label className="triage-flag">
          <input type="checkbox" checked={personalData} onChange={(e) => setPersonalData(e.target.checked)} />
          Processes personal data
        </label>
      </fieldset>
      <ErrorNote error={save.error} />
      <div className="form-actions sticky">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save triage"}
        </button>
        <span className="status">
          {answered} of {visible.length} questions answered
        </span>
      </div>
    </form>
  );
}

function QuestionItem({
  question: q,
  value,
  mark,
  onAnswer,
}: {
  question: Question;
  value: boolean | undefined;
  mark: string | null;
  onAnswer: (yes: boolean) => void;
}) {
  const textId = `triage-q-${q.id}`;
  const name = `triage-${q.id}`;
  return (
    <div className="triage-question" role="radiogroup" aria-labelledby={textId} data-marked={mark ? true : undefined}>
      <p id={textId} className="triage-question-text">
        <span className="triage-ref">{q.reference}</span> {q.text}
      </p>
      <div className="triage-answers">
        <label>
          <input type="radio" name={name} checked={value === true} onChange={() => onAnswer(true)} /> Yes
        </label>
        <label>
          <input type="radio" name={name} checked={value === false} onChange={() => onAnswer(false)} /> No
        </label>
        {mark && <span className="tag-note">{mark}</span>}
      </div>
    </div>
  );
}
