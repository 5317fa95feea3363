// Proposing a new use case: the capture form with an explicit Save; on success the new use case opens.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";

import type { UseCase } from "./bindings/UseCase";
import { ErrorNote } from "./errorNote";
import { call, IpcError } from "./ipc";
import { apiQuery, useCaseChanged } from "./queries";
import { checkForm, dirtyFields, EMPTY_FORM, isFormField, toNewUseCase, UseCaseFields, type FormErrors, type FormField, type FormValues } from "./useCaseForm";

export function NewUseCaseForm({ onCreated, onCancel, onDirty }: { onCreated: (uc: UseCase) => void; onCancel: () => void; onDirty: (dirty: boolean) => void }) {
  const qc = useQueryClient();
  const choices = useQuery(apiQuery("filter_choices"));
  const people = useQuery(apiQuery("people_list"));
  const [values, setValues] = useState<FormValues>(EMPTY_FORM);
  const [errors, setErrors] = useState<FormErrors>({});
  const [failure, setFailure] = useState<IpcError | null>(null);

  const isDirty = dirtyFields(EMPTY_FORM, values).length > 0;
  useEffect(() => onDirty(isDirty), [isDirty, onDirty]);
  useEffect(() => () => onDirty(false), [onDirty]);

  const create = useMutation({
    mutationFn: () => call("use_case_create", toNewUseCase(values)),
    onSuccess: (uc) => {
      onDirty(false);
      void useCaseChanged(qc, uc);
      onCreated(uc);
    },
    onError: (e) => {
      const err = IpcError.from(e);
      if (err.code === "validation" && isFormField(err.field)) setErrors({ [err.field]: err.message });
      else setFailure(err);
    },
  });

  const onChange = (field: FormField, value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    setErrors((e) => ({ ...e, [field]: undefined }));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const found = checkForm(values);
    setErrors(found);
    const first = Object.keys(found)[0];
    if (first) {
      document.getElementById(`field-${first}`)?.focus();
      return;
    }
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
      />
      <ErrorNote error={failure} />
      <div className="form-actions sticky">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? "Saving…" : "Save"}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
