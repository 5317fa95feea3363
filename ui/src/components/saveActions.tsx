// A form's Save button, its other actions and the short note after saving: one look and one wording in every form.
import type { ReactNode } from "react";

export function SaveActions({
  pending,
  saved,
  label = "Save",
  sticky = false,
  children,
}: {
  pending: boolean;
  /** The note once saved ("Saved", "Saved as version 3."), or nothing. */
  saved?: ReactNode;
  label?: string;
  /** Kept in view at the bottom of a long form. */
  sticky?: boolean;
  /** Other buttons and status notes, after Save. */
  children?: ReactNode;
}) {
  return (
    <div className={sticky ? "form-actions sticky" : "form-actions"}>
      <button type="submit" className="primary" disabled={pending}>
        {pending ? "Saving…" : label}
      </button>
      {children}
      {saved && (
        <span className="status ok" role="status">
          {saved}
        </span>
      )}
    </div>
  );
}
