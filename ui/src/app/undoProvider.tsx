// The undo store of the app (Ctrl+Z / Cmd+Z or the toast's Undo button): the last undoable edit of this session, taken back on request, and the toast that says so.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import { ErrorNote } from "../components/errorNote";
import { IpcError } from "../lib/ipc";
import { UndoContext, type Undoable, type UndoStore } from "../lib/undo";
import { useApplyInverse } from "./api";

interface Toast {
  text: string;
  undo?: boolean;
  error?: IpcError;
}

const TOAST_MS = 8000;

export function UndoProvider({ children }: { children: ReactNode }) {
  const apply = useApplyInverse();
  const last = useRef<Undoable | null>(null);
  const busy = useRef(false);
  const [toast, setToast] = useState<Toast | null>(null);
  const region = useRef<HTMLDivElement>(null);

  // A toast goes after a while, but not from under the keyboard focus.
  useEffect(() => {
    if (!toast) return;
    let timer: ReturnType<typeof setTimeout>;
    const hide = () => {
      if (region.current?.contains(document.activeElement)) timer = setTimeout(hide, TOAST_MS);
      else setToast(null);
    };
    timer = setTimeout(hide, TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast]);

  const record = useCallback((u: Undoable) => {
    last.current = u;
    setToast({ text: u.done, undo: true });
  }, []);
  const notify = useCallback((text: string) => setToast({ text }), []);
  const forget = useCallback((id?: string) => {
    if (id === undefined || last.current?.id === id) last.current = null;
  }, []);

  const undo = useCallback(() => {
    const u = last.current;
    if (busy.current) return;
    if (!u) {
      setToast({ text: "Nothing to undo" });
      return;
    }
    busy.current = true;
    last.current = null;
    apply(u.inverse)
      .then(
        () => {
          setToast({ text: `Undid: ${u.what}` });
        },
        (e: unknown) => {
          const error = IpcError.from(e);
          // A refusal stays one; a failure to reach the store may work next time.
          if (error.code !== "stale" && error.code !== "not_found" && last.current === null) last.current = u;
          setToast({ text: `Could not undo the ${u.what}`, error });
        },
      )
      .finally(() => {
        busy.current = false;
      });
  }, [apply]);

  const store = useMemo<UndoStore>(() => ({ record, notify, forget, undo }), [record, notify, forget, undo]);
  return (
    <UndoContext.Provider value={store}>
      {children}
      <div className="toasts" ref={region}>
        <div role="status" className={toast && !toast.error ? "toast" : undefined}>
          {toast && !toast.error && (
            <>
              <span>{toast.text}</span>
              {toast.undo && (
                <>
                  <span aria-hidden="true">·</span>
                  <button type="button" className="link-button" onClick={undo} title="Undo (Ctrl+Z)">
                    Undo
                  </button>
                </>
              )}
            </>
          )}
        </div>
        {toast?.error && (
          <div className="toast bad">
            <p>{toast.text}</p>
            <ErrorNote error={toast.error} />
          </div>
        )}
      </div>
    </UndoContext.Provider>
  );
}
