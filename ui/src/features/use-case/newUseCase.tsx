// Proposing a new use case: the capture form with an explicit Save and the similar use cases already in the portfolio; on success the new use case opens.
import { useEffect, type FormEvent } from "react";

import type { UseCase } from "../../bindings/UseCase";
import { ErrorNote } from "../../components/errorNote";
import { useFilterChoices, usePeople } from "../../lib/queries";
import { useCreateUseCase } from "./api";
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
  const choices = useFilterChoices();
  const people = usePeople();
  const { values, errors, failure, setFailure, onChange, showError, checkBeforeSave } = useFormFields(EMPTY_FORM);

  const isDirty = dirtyFields(EMPTY_FORM, values).length > 0;
  useEffect(() => onDirty(isDirty), [isDirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);

  const create = useCreateUseCase();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    if (!checkBeforeSave()) return;
    create.mutate(toNewUseCase(values), {
      onSuccess: (uc) => {
        onDirty(false);
        onCreated(uc);
      },
      onError: showError,
    });
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
