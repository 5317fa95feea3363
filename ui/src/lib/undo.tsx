// Undo of the last undoable edit made in this session: what an edit keeps to be taken back, and the hook that records it (the provider and its toast are the app's).
import { createContext, useContext } from "react";

import type { SetArchived } from "../bindings/SetArchived";
import type { SetControl } from "../bindings/SetControl";
import type { SetFields } from "../bindings/SetFields";
import type { SetOwner } from "../bindings/SetOwner";
import type { SetScore } from "../bindings/SetScore";

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

/** Where the app's undo store lives (`app/undoProvider` fills it). */
export const UndoContext = createContext<UndoStore | null>(null);

export function useUndo(): UndoStore {
  const store = useContext(UndoContext);
  if (!store) throw new Error("useUndo needs an UndoProvider");
  return store;
}
