// The Add pattern / Edit pattern dialog: name, slug (when adding), description, components one per line, and the required controls, picked from the catalogue or new.
import { useMemo, useState, type FormEvent } from "react";

import type { Control } from "../../bindings/Control";
import type { ControlRef } from "../../bindings/ControlRef";
import type { Pattern } from "../../bindings/Pattern";
import type { PatternInput } from "../../bindings/PatternInput";
import { Dialog } from "../../components/dialog";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { fieldError, IpcError } from "../../lib/ipc";
import { TextField } from "../../components/textField";
import { useReloadAll, useSavePattern } from "./api";

/** The engine's slug rule: lowercase letters, digits and hyphens, not starting or ending with a hyphen. */
const SLUG = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** "RAG knowledge assistant" → "rag-knowledge-assistant". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}

/** Every control some pattern of the catalogue requires, once each, by name. */
function knownControls(catalogue: readonly Pattern[]): Control[] {
  const bySlug = new Map<string, Control>();
  for (const p of catalogue) for (const c of p.controls) bySlug.set(c.slug, c);
  return [...bySlug.values()].sort((a, b) => a.name.localeCompare(b.name));
}

type FormField = "name" | "slug" | "description" | "components" | "controls";
const FORM_FIELDS: readonly FormField[] = ["name", "slug", "description", "components", "controls"];

export function PatternForm({
  pattern,
  catalogue,
  onClose,
  onSaved,
}: {
  /** The pattern to edit; null to add one. */
  pattern: Pattern | null;
  catalogue: readonly Pattern[];
  onClose: () => void;
  onSaved: (p: Pattern) => void;
}) {
  const reloadAll = useReloadAll();
  const known = useMemo(() => knownControls(catalogue), [catalogue]);
  const [name, setName] = useState(pattern?.name ?? "");
  const [slug, setSlug] = useState(pattern?.slug ?? "");
  // Adding: the slug follows the name until the person types one of their own.
  const [slugTouched, setSlugTouched] = useState(false);
  const [description, setDescription] = useState(pattern?.description ?? "");
  const [components, setComponents] = useState((pattern?.components ?? []).join("\n"));
  const [controls, setControls] = useState<ControlRef[]>(() => (pattern?.controls ?? []).map((c) => ({ slug: c.slug })));
  const [local, setLocal] = useState<Partial<Record<FormField, string>>>({});

  const save = useSavePattern(pattern);

  const touched = () => save.reset();
  const error = (f: FormField) => local[f] ?? fieldError(save.error, f);
  const failure = save.error instanceof IpcError ? save.error : null;
  const other = failure && !FORM_FIELDS.some((f) => f === failure.field) ? failure : null;
  const fresh = controls.filter((c) => c.name !== undefined);

  const toggle = (c: Control, on: boolean) => {
    touched();
    setControls((cs) => (on ? [...cs, { slug: c.slug }] : cs.filter((x) => x.slug !== c.slug)));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const found: Partial<Record<FormField, string>> = {};
    if (!name.trim()) found.name = "A pattern needs a name, e.g. Document extraction.";
    if (!pattern && !slug.trim()) found.slug = "A pattern needs a slug, e.g. document-extraction.";
    setLocal(found);
    const first = FORM_FIELDS.find((f) => found[f]);
    if (first) {
      document.getElementById(`pattern-${first}`)?.focus();
      return;
    }
    const req: PatternInput = {
      slug: slug.trim(),
      name: name.trim(),
      description: description.trim(),
      components: components
        .split("\n")
        .map((c) => c.trim())
        .filter(Boolean),
      controls,
    };
    if (pattern) req.expect_version = pattern.version;
    save.mutate(req, { onSuccess: onSaved });
  };

  return (
    <Dialog title={pattern ? `Edit ${pattern.name}` : "Add pattern"} onClose={onClose} initialFocus="#pattern-name" wide>
      <form className="form pattern-form" onSubmit={submit} noValidate aria-label={pattern ? "Edit pattern" : "New pattern"}>
        <div className="form-row">
          <TextField
            id="pattern-name"
            label="Name"
            error={error("name")}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!pattern && !slugTouched) setSlug(slugify(e.target.value));
              setLocal((l) => ({ ...l, name: undefined }));
              touched();
            }}
            aria-required
          />
          {pattern ? (
            <div className="field">
              <span className="label">Slug</span>
              <code className="pattern-slug">{pattern.slug}</code>
            </div>
          ) : (
            <TextField
              id="pattern-slug"
              label="Slug"
              error={error("slug")}
              hint="Lowercase letters, digits and hyphens; it cannot change later."
              value={slug}
              onChange={(e) => {
                setSlug(e.target.value);
                setSlugTouched(true);
                setLocal((l) => ({ ...l, slug: undefined }));
                touched();
              }}
              aria-required
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="pattern-description">Description</label>
          <textarea
            id="pattern-description"
            rows={2}
            value={description}
            aria-invalid={Boolean(error("description"))}
            aria-describedby={error("description") ? "pattern-description-error" : undefined}
            onChange={(e) => {
              setDescription(e.target.value);
              touched();
            }}
          />
          <FieldError id="pattern-description-error" message={error("description")} />
        </div>
        <div className="field">
          <label htmlFor="pattern-components">Components</label>
          <textarea
            id="pattern-components"
            rows={4}
            value={components}
            aria-invalid={Boolean(error("components"))}
            aria-describedby={error("components") ? "pattern-components-error" : "pattern-components-hint"}
            onChange={(e) => {
              setComponents(e.target.value);
              touched();
            }}
          />
          <p className="hint" id="pattern-components-hint">
            One per line, e.g. vector index.
          </p>
          <FieldError id="pattern-components-error" message={error("components")} />
        </div>

        <fieldset className="choices pattern-control-choices" aria-describedby={error("controls") ? "pattern-controls-error" : undefined}>
          <legend>Required controls</legend>
          <div className="control-checks">
            {known.map((c) => (
              <label key={c.slug} className="control-check" title={c.description || undefined}>
                <input type="checkbox" checked={controls.some((x) => x.slug === c.slug)} onChange={(e) => toggle(c, e.target.checked)} />
                {c.name}
              </label>
            ))}
          </div>
          {fresh.length > 0 && (
            <ul className="new-controls" aria-label="New controls">
              {fresh.map((c) => (
                <li key={c.slug}>
                  {c.name} <code>{c.slug}</code>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Remove new control ${c.name}`}
                    onClick={() => {
                      touched();
                      setControls((cs) => cs.filter((x) => x.slug !== c.slug));
                    }}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          )}
          <NewControl
            taken={(s) => known.some((c) => c.slug === s) || controls.some((c) => c.slug === s)}
            onAdd={(c) => {
              touched();
              setControls((cs) => [...cs, c]);
            }}
          />
          <FieldError id="pattern-controls-error" message={error("controls")} />
        </fieldset>

        <ErrorNote error={other}>
          {other?.code === "stale" && (
            <div className="actions">
              <button type="button" onClick={() => void reloadAll().then(onClose)}>
                Close and reload
              </button>
            </div>
          )}
        </ErrorNote>
        <div className="actions end">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={save.isPending}>
            {save.isPending ? "Saving…" : pattern ? "Save changes" : "Add pattern"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** A control the catalogue does not have yet: its name, and a slug made from it unless typed. */
function NewControl({ taken, onAdd }: { taken: (slug: string) => boolean; onAdd: (c: ControlRef) => void }) {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const [problem, setProblem] = useState<{ field: "name" | "slug"; message: string } | null>(null);

  const add = () => {
    const s = slug.trim();
    if (!name.trim()) setProblem({ field: "name", message: "Give the new control a name, e.g. Red-team review." });
    else if (!SLUG.test(s)) setProblem({ field: "slug", message: "A control's slug is lowercase letters, digits and hyphens, e.g. red-team-review." });
    else if (taken(s)) setProblem({ field: "slug", message: `There is already a control \`${s}\`: tick it above instead.` });
    else {
      onAdd({ slug: s, name: name.trim() });
      setName("");
      setSlug("");
      setSlugTouched(false);
      setProblem(null);
    }
  };

  return (
    <div className="form-row new-control">
      <TextField
        id="new-control-name"
        label="New control name"
        error={problem?.field === "name" ? problem.message : undefined}
        value={name}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugTouched) setSlug(slugify(e.target.value));
          setProblem(null);
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter") {
            e.preventDefault();
            add();
          }
        }}
      />
      <TextField
        id="new-control-slug"
        label="New control slug"
        className="field narrow"
        error={problem?.field === "slug" ? problem.message : undefined}
        value={slug}
        onChange={(e) => {
          setSlug(e.target.value);
          setSlugTouched(true);
          setProblem(null);
        }}
      />
      <button type="button" onClick={add}>
        Add control
      </button>
    </div>
  );
}
