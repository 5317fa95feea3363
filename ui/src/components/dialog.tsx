// A modal dialog: the native <dialog> shown with showModal (so the page behind it is inert), labelled, focus kept inside, Esc closes it when it may be dismissed.
import { useEffect, useId, useRef, type ReactNode } from "react";

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
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  // Shown before the focus trap's effect runs, so focus can move into it.
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  // Esc reaches the dialog twice: as a key the focus trap sees (and stops before an enclosing
  // panel does), then as the browser's `cancel`. It closes once; `cancel` alone (focus lost
  // somewhere) closes too.
  const escaped = useRef(false);
  const onKeyDown = useFocusTrap(
    ref,
    () => {
      escaped.current = true;
      onClose?.();
    },
    initialFocus,
  );
  return (
    <dialog
      ref={ref}
      className={wide ? "dialog wide" : "dialog"}
      aria-labelledby={titleId}
      onKeyDown={onKeyDown}
      onCancel={(e) => {
        // The browser would close it under React; the owner closes it by its state instead.
        e.preventDefault();
        if (!escaped.current) onClose?.();
        escaped.current = false;
      }}
    >
      <header className="dialog-head">
        <h2 id={titleId}>{title}</h2>
        {onClose && (
          <button type="button" className="icon-button" onClick={onClose} aria-label="Close">
            ×
          </button>
        )}
      </header>
      {children}
    </dialog>
  );
}
