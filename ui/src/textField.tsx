// One labelled text input with its validation message beside it (ids: `<id>`, `<id>-error`, `<id>-hint`).
import type { InputHTMLAttributes, ReactNode } from "react";

import { FieldError } from "./errorNote";

/** What shows under a field: its hint (if any) at `<id>-hint`, then its error at `<id>-error`. */
export function FieldNotes({ id, hint, error }: { id: string; hint?: ReactNode; error: string | undefined }) {
  return (
    <>
      {hint && (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      <FieldError id={`${id}-error`} message={error} />
    </>
  );
}

type Props = { id: string; label: string; error: string | undefined; hint?: ReactNode; className?: string } & Omit<
  InputHTMLAttributes<HTMLInputElement>,
  "id" | "aria-invalid" | "aria-describedby"
>;

/** The input names its error while there is one, else its hint (if any). */
export function TextField({ id, label, error, hint, className = "field", ...input }: Props) {
  return (
    <div className={className}>
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined} />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}
