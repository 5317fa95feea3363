// The capture form's values: only the fields a person changed are sent, each as the engine reads it.
import { describe, expect, it } from "vitest";

import { changedFields, EMPTY_FORM } from "./useCaseForm";

describe("the capture form", () => {
  it("sends only changed fields, trimmed, lists split and an emptied amount as null", () => {
    const base = { ...EMPTY_FORM, title: "T", tags: "x, y", expected_cost: "100" };
    expect(changedFields(base, { ...base, tags: "x,y", expected_cost: "100 " })).toEqual({});
    expect(changedFields(base, { ...base, tags: "y", expected_cost: "", title: " T2 " })).toEqual({ title: "T2", tags: ["y"], expected_cost: null });
  });
});
