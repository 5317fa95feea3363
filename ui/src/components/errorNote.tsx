// How a refused command is shown: the message for the person, the code small for support, details as a list.
import type { ReactNode } from "react";

import { IpcError } from "../lib/ipc";

export function ErrorNote({ error, children }: { error: unknown; children?: ReactNode }) {
  if (!error) return null;
  const e = IpcError.from(error);
  return (
    <div className="error-note" role="alert">
      <p>
        {e.message}{" "}
        <code className="error-code" title="Error code, for support">
          {e.code}
        </code>
      </p>
      {e.details.length > 0 && (
        <ul>
          {e.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      )}
      {children}
    </div>
  );
}

/** A validation message beside one field (`id` is what the field's aria-describedby names). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p className="field-error" id={id} role="alert">
      {message}
    </p>
  );
}
