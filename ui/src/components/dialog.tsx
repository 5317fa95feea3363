// A modal dialog: labelled, focus kept inside, Esc closes it when it may be dismissed.
import { useId, useRef, type ReactNode } from "react";

import { useFocusTrap } from "../lib/focusTrap";

export function Dialog({
  title,
  onClose,
  children,
  initialFocus,
  wide,
}: {
  title: string;
  /** Omit for a dialog that must be answered (Esc does nothing). */
  onClose?: () => void;
  children: ReactNode;
  initialFocus?: string;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const onKeyDown = useFocusTrap(ref, () => onClose?.(), initialFocus);
  return (
    <div className="backdrop">
      <div ref={ref} className={wide ? "dialog wide" : "dialog"} role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown}>
        <header className="dialog-head">
          <h2 id={titleId}>{title}</h2>
          {onClose && (
            <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
              ×
            </button>
          )}
        </header>
        {children}
      </div>
    </div>
  );
}
