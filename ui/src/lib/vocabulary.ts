// Labels and order of the domain's closed sets (stages, quadrants, owner roles, move kinds, requirements, control states, date formats, risk tiers), defined once.
import type { ControlState } from "../bindings/ControlState";
import type { DateFormat } from "../bindings/DateFormat";
import type { MoveKind } from "../bindings/MoveKind";
import type { OwnerRole } from "../bindings/OwnerRole";
import type { Quadrant } from "../bindings/Quadrant";
import type { Requirement } from "../bindings/Requirement";
import type { Stage } from "../bindings/Stage";
import type { Tier } from "../bindings/Tier";

/** Every stage: the gated path in order, then Parked and Retired. */
export const STAGES: readonly Stage[] = ["idea", "assessment", "proof-of-concept", "pilot", "production", "scaled", "parked", "retired"];

export const STAGE_LABEL: Record<Stage, string> = {
  idea: "Idea",
  assessment: "Assessment",
  "proof-of-concept": "Proof of concept",
  pilot: "Pilot",
  production: "Production",
  scaled: "Scaled",
  parked: "Parked",
  retired: "Retired",
};

/** The stages a gate can guard: forward moves into them (Parked and Retired are reached from anywhere, with a note). */
export const GATED_STAGES: readonly Stage[] = ["assessment", "proof-of-concept", "pilot", "production", "scaled"];

export const QUADRANTS: readonly Quadrant[] = ["quick-win", "strategic-bet", "fill-in", "deprioritise"];

export const QUADRANT_LABEL: Record<Quadrant, string> = {
  "quick-win": "Quick win",
  "strategic-bet": "Strategic bet",
  "fill-in": "Fill-in",
  deprioritise: "Deprioritise",
};

export const QUADRANT_HINT: Record<Quadrant, string> = {
  "quick-win": "High value, high feasibility",
  "strategic-bet": "High value, low feasibility",
  "fill-in": "Low value, high feasibility",
  deprioritise: "Low value, low feasibility",
};

export function isQuadrant(s: string): s is Quadrant {
  return (QUADRANTS as readonly string[]).includes(s);
}

export const OWNER_ROLES: readonly OwnerRole[] = ["business", "technical", "data", "risk"];

export const OWNER_ROLE_LABEL: Record<OwnerRole, string> = {
  business: "Business owner",
  technical: "Technical owner (architect)",
  data: "Data owner",
  risk: "Risk owner",
};

export const MOVE_KIND_LABEL: Record<MoveKind, string> = {
  forward: "Next stage",
  backward: "Move back",
  park: "Park",
  retire: "Retire",
  return: "Return",
};

/** What a requirement asks for, in words (the engine's `Requirement::describe`). */
export function requirementLabel(r: Requirement): string {
  switch (r.kind) {
    case "owner":
      return `a ${r.role} owner`;
    case "all_scored":
      return "every value and feasibility criterion scored";
    case "field":
      return FIELD_REQUIREMENT[r.field] ?? `the field \`${r.field}\` filled in`;
    case "primary_pattern":
      return "a primary pattern (or a recorded reason for none)";
    case "controls_in_place":
      return "every inherited control in place or not applicable";
    case "triage":
      return "a risk triage (not prohibited, under the current rules)";
  }
}

/** A requirement as the gate editor's menu offers it: shorter words where the full ones are long. */
export function requirementChoice(r: Requirement): string {
  if (r.kind === "primary_pattern") return "Primary pattern (or a reason for none)";
  if (r.kind === "controls_in_place") return "Every inherited control in place or N/A";
  if (r.kind === "triage") return "A risk triage (not prohibited, current rules)";
  const label = requirementLabel(r);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** The fields a gate may ask for (the engine's `GATE_FIELDS`), in the order they are offered. */
export const GATE_FIELDS = ["problem", "solution", "business_unit", "expected_benefit", "expected_cost", "data_sources"] as const;

/** Every requirement a gate can hold, in the order the editor offers them. */
export const REQUIREMENTS: readonly Requirement[] = [
  ...OWNER_ROLES.map((role): Requirement => ({ kind: "owner", role })),
  ...GATE_FIELDS.map((field): Requirement => ({ kind: "field", field })),
  { kind: "all_scored" },
  { kind: "primary_pattern" },
  { kind: "controls_in_place" },
  { kind: "triage" },
];

/** A requirement as one string (the command line's spelling): `owner:business`, `field:problem`, `all-scored`. */
export function requirementKey(r: Requirement): string {
  switch (r.kind) {
    case "owner":
      return `owner:${r.role}`;
    case "field":
      return `field:${r.field}`;
    case "all_scored":
      return "all-scored";
    case "primary_pattern":
      return "primary-pattern";
    case "controls_in_place":
      return "controls-in-place";
    case "triage":
      return "triage";
  }
}

const FIELD_REQUIREMENT: Record<string, string> = {
  problem: "a problem statement",
  solution: "a proposed solution",
  business_unit: "a business unit",
  expected_benefit: "an expected annual benefit",
  expected_cost: "an expected annual cost",
  data_sources: "data sources",
};

export const DATE_FORMATS: readonly DateFormat[] = ["iso", "day-month-year", "month-day-year"];

export const DATE_FORMAT_LABEL: Record<DateFormat, string> = {
  iso: "year-month-day",
  "day-month-year": "day/month/year",
  "month-day-year": "month/day/year",
};

/** A control's status on a use case, in the order the checklist offers them. */
export const CONTROL_STATES: readonly ControlState[] = ["open", "in-place", "not-applicable"];

export const CONTROL_STATE_LABEL: Record<ControlState, string> = {
  open: "Open",
  "in-place": "In place",
  "not-applicable": "Not applicable",
};

/** An EU AI Act risk tier in words (never colour alone). */
export const TIER_LABEL: Record<Tier, string> = {
  prohibited: "Prohibited",
  high: "High risk",
  limited: "Limited risk",
  minimal: "Minimal risk",
  "not-yet-triaged": "Not yet triaged",
};

/** What a tier means for the use case, in a sentence. */
export const TIER_HINT: Record<Tier, string> = {
  prohibited: "A prohibited practice (Article 5): it may not be built or used in the EU",
  high: "High-risk (Article 6): strict obligations before it goes live",
  limited: "Limited risk (Article 50): people must be told they deal with AI or AI-made content",
  minimal: "Minimal risk: no specific obligations under the Act",
  "not-yet-triaged": "Some questions that could change the tier are still unanswered",
};

export function isTier(s: unknown): s is Tier {
  return typeof s === "string" && s in TIER_LABEL;
}

/** A use case field's name in words (the engine's `set` vocabulary). */
export const FIELD_LABEL: Record<string, string> = {
  title: "Title",
  problem: "Problem statement",
  solution: "Proposed solution",
  business_unit: "Business unit",
  proposer: "Proposer",
  expected_benefit: "Expected annual benefit",
  expected_cost: "Expected annual cost",
  realised_benefit: "Realised annual benefit",
  data_sources: "Data sources",
  tags: "Tags",
  no_pattern_reason: "Reason for no primary pattern",
};
