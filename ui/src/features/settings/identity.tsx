// Who uses this desktop: the first-run question and the same form in Settings.
import { useState, type FormEvent } from "react";

import type { Identity } from "../../bindings/Identity";
import { Dialog } from "../../components/dialog";
import { ErrorNote } from "../../components/errorNote";
import { fieldError, IpcError } from "../../lib/ipc";
import { TextField } from "../../components/textField";
import { SaveActions } from "../../components/saveActions";
import { useSetIdentity } from "./api";

const EMAIL = /^[^\s@,<>]+@[^\s@,<>]+\.[^\s@,<>]+$/;

function check(v: Identity): Partial<Record<keyof Identity, string>> {
  const errors: Partial<Record<keyof Identity, string>> = {};
  if (!v.name.trim()) errors.name = "Please give your name.";
  if (!v.email.trim()) errors.email = "Please give your email address.";
  else if (!EMAIL.test(v.email.trim())) errors.email = "That is not an email address (like name@example.org).";
  return errors;
}

export function IdentityForm({ current, onSaved, submitLabel = "Save" }: { current?: Identity | null; onSaved?: (i: Identity) => void; submitLabel?: string }) {
  const [values, setValues] = useState<Identity>({ name: current?.name ?? "", email: current?.email ?? "" });
  const [local, setLocal] = useState<Partial<Record<keyof Identity, string>>>({});
  const [saved, setSaved] = useState(false);
  const save = useSetIdentity();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const errors = check(values);
    setLocal(errors);
    setSaved(false);
    if (Object.keys(errors).length === 0)
      save.mutate(
        { name: values.name.trim(), email: values.email.trim() },
        {
          onSuccess: (identity) => {
            setSaved(true);
            onSaved?.(identity);
          },
        },
      );
  };
  const edit = (k: keyof Identity, v: string) => {
    setValues((old) => ({ ...old, [k]: v }));
    setLocal((old) => ({ ...old, [k]: undefined }));
    setSaved(false);
  };

  const nameError = local.name ?? fieldError(save.error, "name");
  const emailError = local.email ?? fieldError(save.error, "email");
  const otherError = save.error instanceof IpcError && save.error.field !== "name" && save.error.field !== "email" ? save.error : null;

  return (
    <form className="form narrow" onSubmit={submit} noValidate>
      <TextField
        id="identity-name"
        label="Your name"
        error={nameError}
        value={values.name}
        onChange={(e) => edit("name", e.target.value)}
        autoComplete="name"
      />
      <TextField
        id="identity-email"
        label="Your email"
        error={emailError}
        type="email"
        value={values.email}
        onChange={(e) => edit("email", e.target.value)}
        autoComplete="email"
      />
      <ErrorNote error={otherError} />
      <SaveActions pending={save.isPending} saved={saved && "Saved"} label={submitLabel} />
    </form>
  );
}

/** Asked once, before anything else, when the store has no identity yet. */
export function FirstRunDialog() {
  return (
    <Dialog title="Welcome to AI Factory Portfolio" initialFocus="#identity-name">
      <p className="dialog-text">
        Every change you make is recorded with your name, so colleagues can see who proposed, scored or moved a use case. Who are you?
      </p>
      <IdentityForm submitLabel="Save" />
    </Dialog>
  );
}
