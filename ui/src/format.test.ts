// Display formatting: scores, relative dates, people and comma-separated lists.
import { describe, expect, it } from "vitest";

import { daysSince, indexPeople, personName, relativeTime, score, splitList } from "./format";
import { changedFields, EMPTY_FORM } from "./useCaseForm";

describe("format", () => {
  it("shows one decimal, or a dash when unknown", () => {
    expect(score(52.5)).toBe("52.5");
    expect(score(100)).toBe("100.0");
    expect(score(null)).toBe("—");
  });

  it("says how long ago, in words", () => {
    const now = new Date("2025-03-10T12:00:00Z");
    expect(relativeTime("2025-03-10T11:59:50Z", now)).toBe("just now");
    expect(relativeTime("2025-03-07T12:00:00Z", now)).toBe("3 days ago");
    expect(relativeTime("2025-03-10T09:00:00Z", now)).toBe("3 hours ago");
    expect(daysSince("2025-03-01T12:00:00Z", now)).toBe(9);
  });

  it("names people by name, falling back to their email", () => {
    const people = indexPeople([{ id: "1", email: "helen@example.org", name: "Helen", business_unit: "" }]);
    expect(personName("Helen@Example.org", people)).toBe("Helen");
    expect(personName("sam@example.org", people)).toBe("sam@example.org");
    expect(personName(null, people)).toBe("—");
  });

  it("splits lists and sends only changed fields", () => {
    expect(splitList(" a, ,b ,")).toEqual(["a", "b"]);
    const base = { ...EMPTY_FORM, title: "T", tags: "x, y", expected_cost: "100" };
    expect(changedFields(base, { ...base, tags: "x,y", expected_cost: "100 " })).toEqual({});
    expect(changedFields(base, { ...base, tags: "y", expected_cost: "", title: " T2 " })).toEqual({ title: "T2", tags: ["y"], expected_cost: null });
  });
});
