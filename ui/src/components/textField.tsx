// Labelled form controls: one text input with its validation message beside it (ids: `<id>`, `<id>-error`, `<id>-hint`), and one radio choice with its hint.
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

/** One option of a radio group: its label, and a hint the radio names as its description. */
export function RadioChoice({
  id,
  name,
  label,
  hint,
  checked,
  disabled,
  onChoose,
}: {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  disabled?: boolean;
  onChoose: () => void;
}) {
  return (
    <div className="choice">
      <input id={id} type="radio" name={name} checked={checked} disabled={disabled} onChange={onChoose} aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id}>{label}</label>
        {hint && (
          <p className="hint" id={`${id}-hint`}>
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
