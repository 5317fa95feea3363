// Formatting of numbers, money, dates and people for display.
import type { Person } from "./bindings/Person";

/** The organisation's currency. There is no currency setting in the engine yet. */
export const CURRENCY = "EUR";

/** A 0–100 score with one decimal, or an em dash when it is not known. */
export function score(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toFixed(1);
}

const money0 = new Intl.NumberFormat(undefined, { style: "currency", currency: CURRENCY, maximumFractionDigits: 0 });

export function money(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : money0.format(n);
}

const absolute = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The full local date and time, for tooltips. */
export function absoluteTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : absolute.format(d);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 days ago", "just now"; older than a year falls back to the date. */
export function relativeTime(iso: string, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const seconds = (d.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs >= 365 * 24 * 3600) return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(d);
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(Math.round(seconds / 60), "minute");
}

/** Whole days since a moment (for "days in stage"). */
export function daysSince(iso: string, now: Date = new Date()): number {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return 0;
  return Math.max(0, Math.floor((now.getTime() - d.getTime()) / (24 * 3600 * 1000)));
}

/** People by lower-cased email. */
export type PeopleIndex = Map<string, Person>;

export function indexPeople(people: readonly Person[] | undefined): PeopleIndex {
  return new Map((people ?? []).map((p) => [p.email.toLowerCase(), p]));
}

/** A person's name, falling back to their email. */
export function personName(email: string | null | undefined, people: PeopleIndex): string {
  if (!email) return "—";
  return people.get(email.toLowerCase())?.name || email;
}

/** Splits a comma-separated input into trimmed, non-empty items. */
export function splitList(text: string): string[] {
  return text
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
