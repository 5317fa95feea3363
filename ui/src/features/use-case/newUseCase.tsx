// Proposing a new use case: the capture form with an explicit Save and the similar use cases already in the portfolio; on success the new use case opens.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, type FormEvent } from "react";

import type { UseCase } from "../../bindings/UseCase";
import { ErrorNote } from "../../components/errorNote";
import { call } from "../../lib/ipc";
import { apiQuery, refreshUseCase } from "../../lib/queries";
import { SimilarUseCases } from "./similarUseCases";
import { dirtyFields, EMPTY_FORM, toNewUseCase, useFormFields, UseCaseFields } from "./useCaseForm";
import { SaveActions } from "../../components/saveActions";

interface Props {
  onCreated: (uc: UseCase) => void;
  onCancel: () => void;
  onDirty: (dirty: boolean) => void;
  /** Opens an existing use case (the panel asks before the typed text is discarded). */
  onOpen: (id: string) => void;
}

export function NewUseCaseForm({ onCreated, onCancel, onDirty, onOpen }: Props) {
  const qc = useQueryClient();
  const choices = useQuery(apiQuery("filter_choices"));
  const people = useQuery(apiQuery("people_list"));
  const { values, errors, failure, setFailure, onChange, showError, checkBeforeSave } = useFormFields(EMPTY_FORM);

  const isDirty = dirtyFields(EMPTY_FORM, values).length > 0;
  useEffect(() => onDirty(isDirty), [isDirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);

  const create = useMutation({
    mutationFn: () => call("use_case_create", toNewUseCase(values)),
    onSuccess: (uc) => {
      onDirty(false);
      void refreshUseCase(qc, uc);
      onCreated(uc);
    },
    onError: showError,
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!checkBeforeSave()) return;
    create.mutate();
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label="New use case">
      <p className="hint">A new use case starts at the Idea stage. Only the title is needed now; the rest can follow.</p>
      <UseCaseFields
        values={values}
        errors={errors}
        onChange={onChange}
        businessUnits={choices.data?.business_units ?? []}
        people={people.data ?? []}
        afterTitle={
          <SimilarUseCases
            title={values.title}
            problem={values.problem}
            solution={values.solution}
            onOpen={onOpen}
            hint="Perhaps it exists already. Opening one leaves this form; you are asked first, and “Keep editing” keeps what you typed."
          />
        }
      />
      <ErrorNote error={failure} />
      <SaveActions pending={create.isPending} sticky>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </SaveActions>
    </form>
  );
}
