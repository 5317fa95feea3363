// Undo of the last undoable edit made in this session (Ctrl+Z / Cmd+Z or the toast's Undo button), and the toast that says so.
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";

import type { SetArchived } from "./bindings/SetArchived";
import type { SetControl } from "./bindings/SetControl";
import type { SetFields } from "./bindings/SetFields";
import type { SetOwner } from "./bindings/SetOwner";
import type { SetScore } from "./bindings/SetScore";
import type { UseCase } from "./bindings/UseCase";
import { ErrorNote } from "./errorNote";
import { call, IpcError } from "./ipc";
import { useCaseChanged } from "./queries";

/** The command that takes an edit back. Field edits carry `expect_version`, so a use case that moved on refuses it as stale. */
export type Inverse =
  | { cmd: "use_case_set_fields"; req: SetFields }
  | { cmd: "use_case_set_score"; req: SetScore }
  | { cmd: "use_case_set_owner"; req: SetOwner }
  | { cmd: "use_case_set_archived"; req: SetArchived }
  | { cmd: "use_case_set_control"; req: SetControl };

export interface Undoable {
  /** The use case the edit changed. */
  id: string;
  /** Said right after the edit, beside the Undo button: "Score saved". */
  done: string;
  /** What undoing takes back: "score of Strategic fit on “Invoice matching”". */
  what: string;
  inverse: Inverse;
}

export interface UndoStore {
  /** Keeps `u` as the edit to undo (replacing the one before) and offers Undo in a toast. */
  record(u: Undoable): void;
  /** A toast without Undo. */
  notify(text: string): void;
  /** Drops the kept edit: of use case `id` only, or whatever it is. */
  forget(id?: string): void;
  /** Applies the inverse of the kept edit. */
  undo(): void;
}

function apply(inv: Inverse): Promise<UseCase> {
  switch (inv.cmd) {
    case "use_case_set_fields":
      return call(inv.cmd, inv.req);
    case "use_case_set_score":
      return call(inv.cmd, inv.req);
    case "use_case_set_owner":
      return call(inv.cmd, inv.req);
    case "use_case_set_archived":
      return call(inv.cmd, inv.req);
    case "use_case_set_control":
      return call(inv.cmd, inv.req);
  }
}

interface Toast {
  text: string;
  undo?: boolean;
  error?: IpcError;
}

const TOAST_MS = 8000;
const UndoContext = createContext<UndoStore | null>(null);

export function UndoProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
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
        (uc) => {
          void useCaseChanged(qc, uc);
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
  }, [qc]);

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

export function useUndo(): UndoStore {
  const store = useContext(UndoContext);
  if (!store) throw new Error("useUndo needs an UndoProvider");
  return store;
}
