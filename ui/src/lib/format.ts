// Formatting of numbers, counts, money, dates and people for display; money and dates as the preferences say.
import type { DateFormat } from "../bindings/DateFormat";
import type { Person } from "../bindings/Person";
import { STAGE_LABEL } from "./vocabulary";

/** A 0–100 score with one decimal, or an em dash when it is not known. */
export function score(n: number | null | undefined): string {
  return n === null || n === undefined ? "—" : n.toFixed(1);
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount in the organisation's currency (an ISO code such as EUR), whole units. */
export function money(n: number | null | undefined, currency: string): string {
  if (n === null || n === undefined) return "—";
  let f = moneyFormats.get(currency);
  if (!f) {
    // Always group thousands: a desktop started without a locale (LANG=C) would not.
    f = new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0, useGrouping: "always" });
    moneyFormats.set(currency, f);
  }
  return f.format(n);
}

const shortMoneyFormats = new Map<string, Intl.NumberFormat>();

/** "€1.2M": money on a chart's axis or bar, where the exact amount is in its tooltip and table. */
export function shortMoney(n: number, currency: string): string {
  let f = shortMoneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat(undefined, { style: "currency", currency, notation: "compact", minimumFractionDigits: 0, maximumFractionDigits: 1 });
    shortMoneyFormats.set(currency, f);
  }
  return f.format(n);
}

const counts = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0, useGrouping: "always" });

/** A whole number with thousands grouped: 12,300. */
export function count(n: number): string {
  return counts.format(n);
}

/** "1 row", "3,611 rows". */
export function plural(n: number, one: string, many: string): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A local date in the preferred format: 2026-11-25, 25/11/2026 or 11/25/2026. */
export function formatDate(d: Date, format: DateFormat): string {
  const [y, m, day] = [String(d.getFullYear()), pad(d.getMonth() + 1), pad(d.getDate())];
  switch (format) {
    case "iso":
      return `${y}-${m}-${day}`;
    case "day-month-year":
      return `${day}/${m}/${y}`;
    case "month-day-year":
      return `${m}/${day}/${y}`;
  }
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

/** The full local date and time, for tooltips. */
export function absoluteTime(iso: string, format: DateFormat): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${formatDate(d, format)} ${timeOfDay.format(d)}`;
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
export function relativeTime(iso: string, format: DateFormat, now: Date = new Date()): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const seconds = (d.getTime() - now.getTime()) / 1000;
  const abs = Math.abs(seconds);
  if (abs < 45) return "just now";
  if (abs >= 365 * 24 * 3600) return formatDate(d, format);
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

const MONEY_FIELDS = ["expected_benefit", "expected_cost", "realised_benefit"];

/** A logged value in words: lists joined, nothing as an em dash, stages by label, amounts in the currency (when given). */
export function describeValue(v: unknown, field: string | null, currency?: string): string {
  if (v === null || v === undefined || v === "") return "—";
  if (Array.isArray(v)) return v.length === 0 ? "—" : v.map((x) => describeValue(x, null)).join(", ");
  if (currency && typeof v === "number" && field && MONEY_FIELDS.includes(field)) return money(v, currency);
  if (typeof v === "object") return `${Object.keys(v).length} fields`;
  if (field === "stage" && typeof v === "string" && v in STAGE_LABEL) return STAGE_LABEL[v as keyof typeof STAGE_LABEL];
  const text = String(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
