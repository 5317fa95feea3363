// The Patterns view: the reference architecture catalogue (reuse, stage spread, components, required controls), adding, editing and retiring patterns, and mapping use cases to one in bulk.
import { useId, useState } from "react";

import { StageBadge } from "../../components/badges";
import type { Pattern } from "../../bindings/Pattern";
import { ErrorNote } from "../../components/errorNote";
import { count, plural } from "../../lib/format";
import { PatternForm } from "./patternForm";
import { BulkMap } from "./patternBulkMap";
import "./patternsView.css";
import { useCatalogue, useUseCaseList } from "../../lib/queries";
import { useRetirePattern } from "./api";
import { STAGE_LABEL, STAGES } from "../../lib/vocabulary";

type Editing = { kind: "add" } | { kind: "edit"; pattern: Pattern };

export function PatternsView({ onOpen }: { onOpen: (id: string) => void }) {
  const catalogue = useCatalogue();
  const [editing, setEditing] = useState<Editing | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const patterns = catalogue.data?.patterns ?? [];
  const live = patterns.filter((p) => !p.retired);
  const retired = patterns.filter((p) => p.retired);

  return (
    <section className="view patterns-view" aria-labelledby="patterns-heading">
      <header className="view-head">
        <h1 id="patterns-heading">Patterns</h1>
        {catalogue.data && (
          <span className="count">
            {plural(live.length, "pattern", "patterns")} · {plural(catalogue.data.unmapped, "use case", "use cases")} with no pattern yet
          </span>
        )}
        <button type="button" className="primary" onClick={() => setEditing({ kind: "add" })}>
          Add pattern
        </button>
      </header>
      <p className="hint">
        Reference architectures a use case builds on. Each requires controls; a use case inherits the controls of the patterns it is mapped to.
      </p>
      {catalogue.isLoading && <p className="loading">Loading the catalogue…</p>}
      <ErrorNote error={catalogue.error} />
      {notice && (
        <p className="status ok" role="status">
          {notice}
        </p>
      )}

      <ul className="pattern-cards" aria-label="Pattern catalogue">
        {live.map((p) => (
          <PatternCard key={p.slug} pattern={p} onEdit={() => setEditing({ kind: "edit", pattern: p })} onNotice={setNotice} onOpen={onOpen} />
        ))}
      </ul>

      {retired.length > 0 && (
        <section aria-labelledby="retired-patterns-heading">
          <h2 id="retired-patterns-heading">Retired patterns</h2>
          <p className="hint">They keep the use cases mapped to them but take no new ones.</p>
          <ul className="pattern-cards retired" aria-label="Retired patterns">
            {retired.map((p) => (
              <PatternCard key={p.slug} pattern={p} onEdit={() => setEditing({ kind: "edit", pattern: p })} onNotice={setNotice} onOpen={onOpen} />
            ))}
          </ul>
        </section>
      )}

      {catalogue.data && <BulkMap catalogue={catalogue.data} onOpen={onOpen} />}

      {editing && (
        <PatternForm
          pattern={editing.kind === "edit" ? editing.pattern : null}
          catalogue={patterns}
          onClose={() => setEditing(null)}
          onSaved={(p) => {
            setEditing(null);
            setNotice(editing.kind === "add" ? `Added the pattern ${p.name}.` : `Saved ${p.name} (version ${p.version}).`);
          }}
        />
      )}
    </section>
  );
}

function PatternCard({
  pattern: p,
  onEdit,
  onNotice,
  onOpen,
}: {
  pattern: Pattern;
  onEdit: () => void;
  onNotice: (n: string) => void;
  onOpen: (id: string) => void;
}) {
  const headingId = useId();
  const listId = useId();
  const [showUseCases, setShowUseCases] = useState(false);
  const retire = useRetirePattern(p.slug);
  const toggleRetired = () =>
    retire.mutate(!p.retired, {
      onSuccess: (next) =>
        onNotice(
          next.retired
            ? `Retired ${next.name}: its ${plural(next.reuse, "use case keeps", "use cases keep")} it, and it takes no new ones.`
            : `Brought back ${next.name}: it takes new use cases again.`,
        ),
    });

  return (
    <li className="pattern-card" aria-labelledby={headingId} data-retired={p.retired || undefined}>
      <header className="pattern-card-head">
        <h2 id={headingId}>{p.name}</h2>
        <code className="pattern-slug">{p.slug}</code>
        {p.retired && <span className="badge archived">Retired</span>}
      </header>
      {p.description && <p className="pattern-description">{p.description}</p>}
      <dl className="pattern-figures">
        <div>
          <dt>Reused by</dt>
          <dd>{plural(p.reuse, "use case", "use cases")}</dd>
        </div>
        <div>
          <dt>Primary for</dt>
          <dd>{count(p.primary_for)}</dd>
        </div>
      </dl>
      <StageSpread pattern={p} />
      {p.components.length > 0 && (
        <div className="pattern-part">
          <h3>Components</h3>
          <ul className="component-chips" aria-label={`Components of ${p.name}`}>
            {p.components.map((c) => (
              <li key={c}>{c}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="pattern-part">
        <h3>Required controls</h3>
        {p.controls.length === 0 ? (
          <p className="muted">None</p>
        ) : (
          <ul className="pattern-controls" aria-label={`Required controls of ${p.name}`}>
            {p.controls.map((c) => (
              <li key={c.slug} title={c.description || undefined}>
                {c.name}
              </li>
            ))}
          </ul>
        )}
      </div>
      <div className="actions">
        <button
          type="button"
          aria-label={`${showUseCases ? "Hide" : "Show"} use cases of ${p.name}`}
          aria-expanded={showUseCases}
          aria-controls={listId}
          disabled={p.reuse === 0}
          onClick={() => setShowUseCases((s) => !s)}
        >
          {showUseCases ? "Hide use cases" : "Show use cases"}
        </button>
        <button type="button" aria-label={`Edit ${p.name}`} onClick={onEdit}>
          Edit
        </button>
        <button
          type="button"
          className="link-button"
          aria-label={`${p.retired ? "Bring back" : "Retire"} ${p.name}`}
          disabled={retire.isPending}
          onClick={toggleRetired}
        >
          {p.retired ? "Bring back" : "Retire"}
        </button>
      </div>
      <ErrorNote error={retire.error} />
      <div id={listId}>{showUseCases && <PatternUseCases pattern={p} onOpen={onOpen} />}</div>
    </li>
  );
}

/** Small stage chips with how many live use cases of each stage use the pattern. */
function StageSpread({ pattern: p }: { pattern: Pattern }) {
  const stages = STAGES.filter((s) => (p.by_stage[s] ?? 0) > 0);
  if (stages.length === 0) return <p className="muted small">Not used by any live use case yet.</p>;
  return (
    <ul className="stage-spread" aria-label={`Use cases of ${p.name} by stage`}>
      {stages.map((s) => (
        <li key={s} className="badge" data-stage={s}>
          <span className="swatch" aria-hidden="true" />
          {STAGE_LABEL[s]} <strong>{p.by_stage[s]}</strong>
        </li>
      ))}
    </ul>
  );
}

/** The live use cases mapped to a pattern, each opening in the side panel. */
function PatternUseCases({ pattern: p, onOpen }: { pattern: Pattern; onOpen: (id: string) => void }) {
  const list = useUseCaseList({ pattern: [p.slug], sort: "title" });
  if (list.error) return <ErrorNote error={list.error} />;
  if (!list.data) return <p className="loading">Loading its use cases…</p>;
  return (
    <ul className="pattern-use-cases" aria-label={`Use cases mapped to ${p.name}`}>
      {list.data.rows.map((r) => (
        <li key={r.id}>
          <button type="button" className="link-button" onClick={() => onOpen(r.id)}>
            {r.title}
          </button>
          <StageBadge stage={r.stage} />
          {r.business_unit && <span className="muted small">{r.business_unit}</span>}
        </li>
      ))}
    </ul>
  );
}
