// Stage, quadrant, risk tier and archived badges: a colour swatch always beside its label, the same in every view.
import type { Quadrant } from "../bindings/Quadrant";
import type { Stage } from "../bindings/Stage";
import type { Tier } from "../bindings/Tier";
import "./tierBadge.css";
import { QUADRANT_HINT, QUADRANT_LABEL, STAGE_LABEL, TIER_HINT, TIER_LABEL } from "../lib/vocabulary";

export function StageBadge({ stage }: { stage: Stage }) {
  return (
    <span className="badge" data-stage={stage}>
      <span className="swatch" aria-hidden="true" />
      {STAGE_LABEL[stage]}
    </span>
  );
}

export function QuadrantBadge({ quadrant }: { quadrant: Quadrant | null }) {
  if (!quadrant)
    return (
      <span className="muted" title="Not fully scored yet">
        —
      </span>
    );
  return (
    <span className="badge" data-quadrant={quadrant} title={QUADRANT_HINT[quadrant]}>
      <span className="swatch" aria-hidden="true" />
      {QUADRANT_LABEL[quadrant]}
    </span>
  );
}

export function ArchivedBadge() {
  return (
    <span className="badge archived" title="Archived: hidden from views unless “Show archived” is on">
      Archived
    </span>
  );
}

/** An EU AI Act tier; `retriage` adds that the rules changed since it was answered. */
export function TierBadge({ tier, retriage = false }: { tier: Tier; retriage?: boolean }) {
  return (
    <span className="badge tier" data-tier={tier} title={retriage ? `${TIER_HINT[tier]}. The rules changed since: triage again.` : TIER_HINT[tier]}>
      <span className="swatch" aria-hidden="true" />
      {TIER_LABEL[tier]}
      {retriage && " (triage again)"}
    </span>
  );
}
