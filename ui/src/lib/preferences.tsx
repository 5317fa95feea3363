// Preferences (the organisation's currency, the date format, the days before a use case counts as stuck), read once for every view, and moments shown as they say.
import { useSyncExternalStore } from "react";

import type { DateFormat } from "../bindings/DateFormat";
import type { Preferences } from "../bindings/Preferences";
import { absoluteTime, relativeTime } from "./format";
import { useStoredPreferences } from "./queries";

/** What the engine uses until someone saves preferences. */
export const DEFAULT_PREFERENCES: Preferences = { currency: "EUR", date_format: "iso", stale_after_days: 90 };

/** The preferences, or the defaults while they load. They change only through Settings (or a restore, which refetches everything). */
export function usePreferences(): Preferences {
  const prefs = useStoredPreferences();
  return prefs.data ?? DEFAULT_PREFERENCES;
}

/** How often relative moments ("2 minutes ago") are worked out again while on screen. */
export const RETELL_EVERY_MS = 30_000;

/** One clock for every moment on screen: it ticks while any is shown, and they re-tell together. */
const clock = {
  tick: 0,
  listeners: new Set<() => void>(),
  timer: undefined as ReturnType<typeof setInterval> | undefined,
  subscribe(listener: () => void): () => void {
    clock.listeners.add(listener);
    clock.timer ??= setInterval(() => {
      clock.tick += 1;
      clock.listeners.forEach((l) => l());
    }, RETELL_EVERY_MS);
    return () => {
      clock.listeners.delete(listener);
      if (clock.listeners.size === 0) {
        clearInterval(clock.timer);
        clock.timer = undefined;
      }
    };
  },
};

/** A moment in time: relative when recent ("3 days ago"), the full date and time in the preferred format on hover. */
export function Moment({ at, format }: { at: string; format: DateFormat }) {
  useSyncExternalStore(clock.subscribe, () => clock.tick);
  return (
    <time dateTime={at} title={absoluteTime(at, format)}>
      {relativeTime(at, format)}
    </time>
  );
}
