// Display formatting: scores, money and dates as the preferences say, relative dates, people and comma-separated lists.
import { describe, expect, it } from "vitest";

import { absoluteTime, daysSince, formatDate, indexPeople, money, personName, relativeTime, score, splitList } from "./format";

describe("format", () => {
  it("shows one decimal, or a dash when unknown", () => {
    expect(score(52.5)).toBe("52.5");
    expect(score(100)).toBe("100.0");
    expect(score(null)).toBe("—");
  });

  it("says how long ago, in words", () => {
    const now = new Date("2025-03-10T12:00:00Z");
    expect(relativeTime("2025-03-10T11:59:50Z", "iso", now)).toBe("just now");
    expect(relativeTime("2025-03-07T12:00:00Z", "iso", now)).toBe("3 days ago");
    expect(relativeTime("2025-03-10T09:00:00Z", "iso", now)).toBe("3 hours ago");
    expect(daysSince("2025-03-01T12:00:00Z", now)).toBe(9);
  });

  it("writes dates in the preferred format, also for moments too old to say how long ago", () => {
    const d = new Date(2026, 10, 5, 14, 30);
    expect(formatDate(d, "iso")).toBe("2026-11-05");
    expect(formatDate(d, "day-month-year")).toBe("05/11/2026");
    expect(formatDate(d, "month-day-year")).toBe("11/05/2026");
    expect(absoluteTime(d.toISOString(), "day-month-year")).toMatch(/^05\/11\/2026 \S/);
    expect(relativeTime(d.toISOString(), "month-day-year", new Date(2028, 0, 1))).toBe("11/05/2026");
  });

  it("shows money in the currency it is given, in whole units", () => {
    expect(money(250000, "USD")).toMatch(/^\$\s?250,000$/);
    expect(money(1234.56, "EUR")).toMatch(/1,235/);
    expect(money(null, "EUR")).toBe("—");
  });

  it("names people by name, falling back to their email", () => {
    const people = indexPeople([{ id: "1", email: "helen@example.org", name: "Helen", business_unit: "" }]);
    expect(personName("Helen@Example.org", people)).toBe("Helen");
    expect(personName("sam@example.org", people)).toBe("sam@example.org");
    expect(personName(null, people)).toBe("—");
  });

  it("splits comma-separated lists", () => {
    expect(splitList(" a, ,b ,")).toEqual(["a", "b"]);
  });
});
