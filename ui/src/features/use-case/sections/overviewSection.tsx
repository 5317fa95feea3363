// The Overview tab: the capture form of one use case, saved with an explicit Save against the loaded version; similar use cases show while its title or problem is edited.
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";

import type { UseCase } from "../../../bindings/UseCase";
import { ErrorNote } from "../../../components/errorNote";
import { useFilterChoices, usePeople } from "../../../lib/queries";
import { SimilarUseCases } from "../similarUseCases";
import { useUndo } from "../../../lib/undo";
import { SaveActions } from "../../../components/saveActions";
import { changedFields, dirtyFields, fromUseCase, isFormField, useFormFields, UseCaseFields, type FormField, type FormValues } from "../useCaseForm";
import { useFetchLatest, useSetFields } from "../api";

interface Base {
  values: FormValues;
  version: number;
}

const FIELD_WORD: Record<FormField, string> = {
  title: "title",
  problem: "problem statement",
  solution: "proposed solution",
  business_unit: "business unit",
  proposer: "proposer",
  expected_benefit: "expected benefit",
  expected_cost: "expected cost",
  data_sources: "data sources",
  tags: "tags",
};

/** "title, tags and business unit" */
function fieldList(fields: string[]): string {
  const words = fields.map((f) => (isFormField(f) ? FIELD_WORD[f] : f));
  return words.length < 2 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function sameValues(a: FormValues, b: FormValues): boolean {
  return Object.keys(changedFields(a, b)).length === 0;
}

export function OverviewSection({ uc, onDirty, onOpen }: { uc: UseCase; onDirty: (dirty: boolean) => void; onOpen: (id: string) => void }) {
  const undo = useUndo();
  const fetchLatest = useFetchLatest();
  const choices = useFilterChoices();
  const people = usePeople();
  const [base, setBase] = useState<Base>(() => ({ values: fromUseCase(uc), version: uc.version }));
  const { values, setValues, errors, setErrors, failure, setFailure, onChange: setField, showError, checkBeforeSave } = useFormFields(base.values);
  const [notice, setNotice] = useState<string | null>(null);

  const dirty = useMemo(() => dirtyFields(base.values, values), [base, values]);
  const isDirty = dirty.length > 0;

  useEffect(() => onDirty(isDirty), [isDirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);

  // The record changed (a score, an owner, another window). With nothing typed, show it.
  // With edits pending and these fields unchanged on the other side, keep the edits and take
  // the new version; otherwise keep the old version, so Save is refused as stale and offers Reload.
  const latest = useRef({ base, values });
  latest.current = { base, values };
  useEffect(() => {
    const { base: b, values: v } = latest.current;
    if (b.version === uc.version) return;
    const server = fromUseCase(uc);
    if (sameValues(b.values, v)) {
      setBase({ values: server, version: uc.version });
      setValues(server);
    } else if (sameValues(b.values, server)) {
      setBase({ values: b.values, version: uc.version });
    }
    // Only a new version of the use case matters; what is typed is read through `latest`.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [uc]);

  const save = useSetFields();
  const onSaved = (next: UseCase) => {
    const v = fromUseCase(next);
    // Against the base as it is when the answer comes (it may have taken a newer version meanwhile).
    const old = changedFields(v, latest.current.base.values);
    setBase({ values: v, version: next.version });
    setValues(v);
    setNotice("Saved");
    if (Object.keys(old).length > 0) {
      undo.record({
        id: next.id,
        done: "Overview saved",
        what: `edit of ${fieldList(Object.keys(old))} on “${next.title}”`,
        inverse: { cmd: "use_case_set_fields", req: { id: next.id, expect_version: next.version, fields: old } },
      });
    }
  };

  const onChange = (field: FormField, value: string) => {
    setField(field, value);
    setNotice(null);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    setNotice(null);
    if (!checkBeforeSave()) return;
    const fields = changedFields(base.values, values);
    if (Object.keys(fields).length === 0) {
      setNotice("Nothing to save");
      return;
    }
    save.mutate({ id: uc.id, expect_version: base.version, fields }, { onSuccess: onSaved, onError: showError });
  };

  /** Loads the latest version and keeps what the person typed on top of it. */
  const reload = async () => {
    const fresh = await fetchLatest(uc.id);
    const server = fromUseCase(fresh);
    const mine = changedFields(base.values, values);
    const merged = { ...server };
    for (const f of Object.keys(mine)) if (isFormField(f)) merged[f] = values[f];
    setBase({ values: server, version: fresh.version });
    setValues(merged);
    setFailure(null);
    setNotice(Object.keys(mine).length > 0 ? "Reloaded the latest version; your edits are kept (marked “edited”). Check them and Save again." : "Reloaded");
  };

  const discard = async () => {
    const fresh = await fetchLatest(uc.id);
    const server = fromUseCase(fresh);
    setBase({ values: server, version: fresh.version });
    setValues(server);
    setErrors({});
    setFailure(null);
    setNotice(null);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="Overview">
      <UseCaseFields
        values={values}
        errors={errors}
        onChange={onChange}
        businessUnits={choices.data?.business_units ?? []}
        people={people.data ?? []}
        dirty={dirty}
        afterTitle={
          // Only while the person rewrites what the use case is: the saved text was compared when it was typed.
          (dirty.includes("title") || dirty.includes("problem")) && (
            <SimilarUseCases
              title={values.title}
              problem={values.problem}
              solution={values.solution}
              exclude={uc.id}
              onOpen={onOpen}
              hint="Perhaps this is the same effort. Opening one leaves this form; you are asked before your edits are discarded."
            />
          )
        }
      />
      {failure && (
        <ErrorNote error={failure}>
          {failure.code === "stale" && (
            <div className="actions">
              <button type="button" onClick={() => void reload()}>
                Reload
              </button>
              <button type="button" className="link-button" onClick={() => void discard()}>
                Discard my edits
              </button>
            </div>
          )}
        </ErrorNote>
      )}
      <SaveActions pending={save.isPending} saved={notice} sticky>
        {isDirty && !save.isPending && <span className="status">Unsaved changes</span>}
      </SaveActions>
    </form>
  );
}
