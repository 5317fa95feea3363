// Long work (export, import): the engine's `task-progress` events, the one task slot the top bar keeps, and the progress bar with Cancel.
import { listen } from "@tauri-apps/api/event";
import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from "react";

import type { Progress } from "../bindings/Progress";
import { count } from "../lib/format";
import { IpcError } from "../lib/ipc";
import { cancelTask } from "../lib/queries";

export type TaskKind = "export" | "import";

/** Calls `onProgress` with each progress report until the returned function is called; resolves once listening. */
export function listenProgress(onProgress: (p: Progress) => void): Promise<() => void> {
  return listen<Progress>("task-progress", (e) => onProgress(e.payload));
}

/**
 * The long task now running. The engine keeps one cancel flag, for the task started last, and
 * its progress events do not say whose they are: so one task at a time, and everyone asks here.
 */
export interface TaskSlot {
  running: TaskKind | null;
  /** The latest report of the running task; null until the first one. */
  progress: Progress | null;
  cancelling: boolean;
  /** Runs `work` as the task, listening for its progress from before it starts. */
  run<T>(kind: TaskKind, work: () => Promise<T>): Promise<T>;
  /** Asks the engine to stop the task; the task's call then rejects with `cancelled`. */
  cancel(): void;
}

export function useTaskSlot(): TaskSlot {
  const [running, setRunning] = useState<TaskKind | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [cancelling, setCancelling] = useState(false);
  // A preview started while another runs replaces it: only the latest clears the slot.
  const latest = useRef(0);

  const run = useCallback(async <T,>(kind: TaskKind, work: () => Promise<T>): Promise<T> => {
    const token = ++latest.current;
    setRunning(kind);
    setProgress(null);
    setCancelling(false);
    const stop = await listenProgress((p) => {
      if (latest.current === token) setProgress(p);
    });
    try {
      return await work();
    } finally {
      stop();
      if (latest.current === token) {
        setRunning(null);
        setProgress(null);
        setCancelling(false);
      }
    }
  }, []);

  const cancel = useCallback(() => {
    setCancelling(true);
    // Should the request itself fail, the task simply goes on: offer Cancel again.
    cancelTask().catch(() => setCancelling(false));
  }, []);

  return useMemo(() => ({ running, progress, cancelling, run, cancel }), [running, progress, cancelling, run, cancel]);
}

/** "Writing use cases 12,300 of 100,000"; "Reading rows: 4,500 so far" while the total is unknown. */
export function progressText(p: Progress): string {
  if (p.total > 0) return `${p.phase} ${count(p.done)} of ${count(p.total)}`;
  return p.done > 0 ? `${p.phase}: ${count(p.done)} so far` : p.phase;
}

/** A whole percentage, or null while the total is unknown. */
export function percent(p: Progress | null): number | null {
  if (!p || p.total <= 0) return null;
  return Math.min(100, Math.floor((p.done / p.total) * 100));
}

/** The bar, what it is doing in words, and Cancel (`data-initial`: a dialog reopened while it runs starts there). `starting` is said until the first report. */
export function ProgressBar({ label, starting, slot }: { label: string; starting: string; slot: TaskSlot }) {
  const p = slot.progress;
  const text = p ? progressText(p) : starting;
  const pct = percent(p);
  const cancel = useRef<HTMLButtonElement>(null);
  // The button that started the task is disabled now: Cancel takes the focus it had.
  useEffect(() => {
    if (focusLost()) cancel.current?.focus();
  }, []);
  return (
    <div className="task-progress">
      <div
        className={pct === null ? "progress-track unknown" : "progress-track"}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={pct === null ? undefined : p!.total}
        aria-valuenow={pct === null ? undefined : p!.done}
        aria-valuetext={text}
      >
        <span style={pct === null ? undefined : { width: `${pct}%` }} />
      </div>
      <div className="task-progress-row">
        <span className="task-progress-text">{text}</span>
        <button ref={cancel} type="button" onClick={slot.cancel} disabled={slot.cancelling} data-initial>
          {slot.cancelling ? "Cancelling…" : "Cancel"}
        </button>
      </div>
    </div>
  );
}

/** Whether a task ended because the person cancelled it. */
export function wasCancelled(error: unknown): boolean {
  return error instanceof IpcError && error.code === "cancelled";
}

/**
 * The top bar's note on a task whose dialog is closed: how far it is, or how it ended; a click
 * reopens the dialog. The percentage is not announced: a screen reader would read every step.
 */
export function TaskChip({ text, detail, onOpen }: { text: string | null; detail?: string; onOpen: () => void }) {
  return (
    <span role="status" className="task-chip-slot">
      {text && (
        <button type="button" className="task-chip" onClick={onOpen}>
          {text}
          {detail && <span aria-hidden="true"> {detail}</span>}
        </button>
      )}
    </span>
  );
}

/** Whether the keyboard focus is nowhere useful: on the page, or on a control just disabled (the button that started a task). */
function focusLost(): boolean {
  const el = document.activeElement;
  return el === null || el === document.body || el.matches(":disabled");
}

/**
 * When a task ends (`busy` goes false), its bar and the Cancel that may have had the focus go:
 * focus the first of `targets` that is there and enabled, rather than nothing.
 */
export function useFocusAfterTask(busy: boolean, ...targets: RefObject<HTMLElement | null>[]): void {
  const was = useRef(busy);
  const to = useRef(targets);
  useEffect(() => {
    to.current = targets;
  });
  useEffect(() => {
    if (was.current && !busy && focusLost()) {
      to.current
        .map((t) => t.current)
        .find((el) => el && !el.matches(":disabled"))
        ?.focus();
    }
    was.current = busy;
  }, [busy]);
}
