// The Pipeline view: the filtered portfolio as a board, one column per stage; a card moves by drag and drop or its Move… control, under the same gates and note rules as the Stage tab.
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  pointerWithin,
  rectIntersection,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type Active,
  type Announcements,
  type CollisionDetection,
  type KeyboardCoordinateGetter,
  type UniqueIdentifier,
} from "@dnd-kit/core";
import { keepPreviousData } from "@tanstack/react-query";
import { useCallback, useEffect, useId, useMemo, useRef, useState, type FormEvent } from "react";

import { QuadrantBadge, StageBadge } from "../../components/badges";
import type { ListQuery } from "../../bindings/ListQuery";
import type { Stage } from "../../bindings/Stage";
import type { StageOption } from "../../bindings/StageOption";
import type { UseCaseSummary } from "../../bindings/UseCaseSummary";
import { Dialog } from "../../components/dialog";
import { ErrorNote, FieldError } from "../../components/errorNote";
import { FilterBar } from "../portfolio";
import { listQuery, useFilters } from "../../lib/filters";
import { absoluteTime, count, daysSince, plural, score } from "../../lib/format";
import { IpcError } from "../../lib/ipc";
import "./pipelineView.css";
import { usePreferences } from "../../lib/preferences";
import { useStageOptions, useUseCase, useUseCaseList } from "../../lib/queries";
import { useReadMoveAfresh } from "./api";
import { GateChecklist, ImpossibleMoves, missingCount, missingNote, MoveError, MoveOptions, moveRequest, useMoveStage } from "../stage-move";
import { STAGE_LABEL, STAGES } from "../../lib/vocabulary";

/** Cards a column loads at a time. */
const PAGE = 50;
/** Off the path: narrower columns that fold away. */
const SIDE_STAGES: readonly Stage[] = ["parked", "retired"];

function stageOf(id: UniqueIdentifier | undefined): Stage | undefined {
  return STAGES.find((s) => s === id);
}

function isSummary(v: unknown): v is UseCaseSummary {
  return typeof v === "object" && v !== null && "id" in v && "title" in v && "stage_since" in v;
}

/** The card a drag carries (its data is untyped in dnd-kit). */
function cardOf(active: Active): UseCaseSummary | null {
  const card: unknown = active.data.current?.card;
  return isSummary(card) ? card : null;
}

/** The column under the pointer; with the keyboard (no pointer) the column the card overlaps most. */
const columnUnder: CollisionDetection = (args) => {
  const hits = pointerWithin(args);
  return hits.length > 0 ? hits : rectIntersection(args);
};

/** While dragging by keyboard, Left and Right jump to the next column: moving pixel by pixel across a board is no use. */
const columnCoordinates: KeyboardCoordinateGetter = (event, { context }) => {
  const step = event.code === "ArrowRight" ? 1 : event.code === "ArrowLeft" ? -1 : 0;
  const from = context.collisionRect;
  if (!step || !from) return undefined;
  event.preventDefault();
  const centre = from.left + from.width / 2;
  const columns = [...context.droppableRects.values()].sort((a, b) => a.left - b.left);
  const next = step > 0 ? columns.find((r) => r.left + r.width / 2 > centre + 1) : columns.findLast((r) => r.left + r.width / 2 < centre - 1);
  return next ? { x: next.left + next.width / 2 - from.width / 2, y: from.top } : undefined;
};

function quoted(active: Active): string {
  return `“${cardOf(active)?.title ?? "the use case"}”`;
}

function stageName(id: UniqueIdentifier | undefined): string {
  const s = stageOf(id);
  return s ? STAGE_LABEL[s] : "no stage";
}

/** What a screen reader hears during a drag, in the app's words rather than dnd-kit's ids. */
const ANNOUNCEMENTS: Announcements = {
  onDragStart: ({ active }) => `Picked up ${quoted(active)}. Left and Right arrows choose a stage, Space drops it there, Escape cancels.`,
  onDragOver: ({ active, over }) => `${quoted(active)} is over ${stageName(over?.id)}.`,
  onDragEnd: ({ active, over }) =>
    over ? `${quoted(active)} dropped on ${stageName(over.id)}.` : `${quoted(active)} dropped outside the stages; nothing moved.`,
  onDragCancel: ({ active }) => `Moving ${quoted(active)} was cancelled.`,
};

const INSTRUCTIONS = {
  draggable: "To move this use case to another stage, press Space, choose a column with the Left and Right arrows, then press Space again. Escape cancels.",
};

/** What dropping the dragged card on a column would do, in words (shown on every column while dragging). */
type DropHint = { kind: "here" | "move" | "note" | "blocked" | "never"; text: string };

function dropHint(stage: Stage, card: UseCaseSummary, options: StageOption[] | undefined): DropHint | null {
  if (stage === card.stage) return { kind: "here", text: "Here now" };
  const o = options?.find((x) => x.stage === stage);
  if (!o) return null;
  if (o.kind === null) return { kind: "never", text: "Not possible from here" };
  if (!o.allowed) return { kind: "blocked", text: "Gate not met" };
  return o.needs_note ? { kind: "note", text: "Drop, then give a reason" } : { kind: "move", text: "Drop to move here" };
}

export function PipelineView({ onOpen, openId }: { onOpen: (id: string) => void; openId: string | null }) {
  const readAfresh = useReadMoveAfresh();
  const { filters, sort } = useFilters();
  const base = useMemo(() => listQuery(filters, sort), [filters, sort]);
  const stages = filters.stage?.length ? STAGES.filter((s) => filters.stage?.includes(s)) : STAGES;
  const move = useMoveStage();
  const [moving, setMoving] = useState<{ card: UseCaseSummary; to: Stage | null } | null>(null);
  const [dragged, setDragged] = useState<UseCaseSummary | null>(null);
  const [notice, setNotice] = useState("");
  const [dropError, setDropError] = useState<{ id: string; error: unknown } | null>(null);
  const [folded, setFolded] = useState<ReadonlySet<Stage>>(new Set());
  // A moved card is drawn afresh in its new column: focus follows it there.
  const [refocus, setRefocus] = useState<{ id: string; stage: Stage } | null>(null);
  const focused = useCallback(() => setRefocus(null), []);
  const dragOptions = useStageOptions(dragged?.id ?? "", { enabled: dragged !== null });
  const sensors = useSensors(
    // A press that does not travel is a click (open the use case), not a drag.
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(KeyboardSensor, { coordinateGetter: columnCoordinates }),
  );

  const moved = (card: UseCaseSummary, to: Stage) => {
    setMoving(null);
    setNotice(`Moved “${card.title}” to ${STAGE_LABEL[to]}.`);
    setRefocus({ id: card.id, stage: to });
  };

  /** A dropped card: straight to the move when the rules allow it as it is, else the dialog (a note to give, or what the gate misses). */
  const drop = async (card: UseCaseSummary, to: Stage) => {
    setNotice("");
    setDropError(null);
    try {
      // Read afresh: the gate answer and the version the move is made against must be today's.
      const [uc, options] = await readAfresh(card.id);
      const o = options.find((x) => x.stage === to);
      if (!o?.allowed || o.needs_note) {
        setMoving({ card, to });
        return;
      }
      move.mutate(moveRequest(card.id, to, "", uc.version), {
        onSuccess: () => moved(card, to),
        onError: (error) => setDropError({ id: card.id, error }),
      });
    } catch (error) {
      setDropError({ id: card.id, error });
    }
  };

  const toggleFold = (s: Stage) =>
    setFolded((f) => {
      const next = new Set(f);
      if (!next.delete(s)) next.add(s);
      return next;
    });

  return (
    <section className="view pipeline" aria-labelledby="pipeline-heading">
      <header className="view-head">
        <h1 id="pipeline-heading">Pipeline</h1>
        <span className="count">Drag a card to another stage, or use its Move… button.</span>
      </header>
      <FilterBar />
      <p className="status ok pipeline-status" role="status">
        {notice}
      </p>
      {dropError && <MoveError id={dropError.id} error={dropError.error} onReload={() => setDropError(null)} />}
      <DndContext
        sensors={sensors}
        collisionDetection={columnUnder}
        accessibility={{ announcements: ANNOUNCEMENTS, screenReaderInstructions: INSTRUCTIONS }}
        onDragStart={({ active }) => setDragged(cardOf(active))}
        onDragCancel={() => setDragged(null)}
        onDragEnd={({ active, over: target }) => {
          setDragged(null);
          const card = cardOf(active);
          const to = stageOf(target?.id);
          if (card && to && to !== card.stage) void drop(card, to);
        }}
      >
        <div className="board">
          {stages.map((s) => (
            <Column
              key={s}
              stage={s}
              query={base}
              openId={openId}
              onOpen={onOpen}
              onMove={(card) => setMoving({ card, to: null })}
              refocus={refocus?.stage === s ? refocus.id : null}
              onFocused={focused}
              hint={dragged ? dropHint(s, dragged, dragOptions.data) : null}
              folded={folded.has(s)}
              onFold={SIDE_STAGES.includes(s) ? () => toggleFold(s) : undefined}
            />
          ))}
        </div>
        <DragOverlay dropAnimation={null}>
          {dragged && (
            <div className="card-overlay">
              <CardFace card={dragged} />
            </div>
          )}
        </DragOverlay>
      </DndContext>
      {moving && <MoveDialog card={moving.card} to={moving.to} onClose={() => setMoving(null)} onOpen={onOpen} onMoved={moved} />}
    </section>
  );
}

function Column({
  stage,
  query,
  openId,
  onOpen,
  onMove,
  refocus,
  onFocused,
  hint,
  folded,
  onFold,
}: {
  stage: Stage;
  query: ListQuery;
  openId: string | null;
  onOpen: (id: string) => void;
  onMove: (card: UseCaseSummary) => void;
  /** The card whose Move button takes the focus once it shows here. */
  refocus: string | null;
  onFocused: () => void;
  hint: DropHint | null;
  folded: boolean;
  /** Given for the columns that fold away. */
  onFold?: () => void;
}) {
  const [limit, setLimit] = useState(PAGE);
  // More cards keep the ones shown in place while they load.
  const page = useUseCaseList({ ...query, stage: [stage], limit }, { placeholderData: keepPreviousData });
  const { setNodeRef, isOver } = useDroppable({ id: stage });
  const headingId = useId();
  const rows = page.data?.rows ?? [];
  const total = page.data?.total;
  const classes = ["column", SIDE_STAGES.includes(stage) ? "side" : "", folded ? "folded" : "", isOver ? "over" : "", hint ? `drop-${hint.kind}` : ""];

  return (
    <section ref={setNodeRef} className={classes.filter(Boolean).join(" ")} data-stage={stage} data-column={stage} aria-labelledby={headingId}>
      <header className="column-head">
        <h2 id={headingId}>
          <span className="swatch" aria-hidden="true" />
          {STAGE_LABEL[stage]}{" "}
          <span className="column-count">
            {total === undefined ? "" : count(total)} <span className="visually-hidden">{total === 1 ? "use case" : "use cases"}</span>
          </span>
        </h2>
        {onFold && (
          <button
            type="button"
            className="icon-button"
            aria-expanded={!folded}
            aria-label={`${folded ? "Show" : "Hide"} ${STAGE_LABEL[stage]}`}
            onClick={onFold}
          >
            {folded ? "▸" : "▾"}
          </button>
        )}
      </header>
      {hint && <p className="drop-hint">{hint.text}</p>}
      {!folded && (
        <>
          <ErrorNote error={page.error} />
          {page.isLoading && <p className="loading">Loading…</p>}
          {page.data && rows.length === 0 && <p className="column-empty muted">No use cases</p>}
          <ul className="cards" aria-labelledby={headingId}>
            {rows.map((card) => (
              <Card key={card.id} card={card} open={card.id === openId} onOpen={onOpen} onMove={onMove} focus={card.id === refocus} onFocused={onFocused} />
            ))}
          </ul>
          {total !== undefined && total > rows.length && (
            <p className="column-more">
              <span>
                Showing {count(rows.length)} of {count(total)}
              </span>
              <button type="button" className="link-button" disabled={page.isFetching} onClick={() => setLimit((l) => l + PAGE)}>
                Show {count(Math.min(PAGE, total - rows.length))} more
              </button>
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Card({
  card,
  open,
  onOpen,
  onMove,
  focus,
  onFocused,
}: {
  card: UseCaseSummary;
  open: boolean;
  onOpen: (id: string) => void;
  onMove: (card: UseCaseSummary) => void;
  focus: boolean;
  onFocused: () => void;
}) {
  const { setNodeRef, setActivatorNodeRef, listeners, attributes, isDragging } = useDraggable({ id: card.id, data: { card } });
  const moveButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!focus) return;
    moveButton.current?.focus();
    onFocused();
  }, [focus, onFocused]);
  const classes = ["pipeline-card", open ? "open" : "", isDragging ? "dragging" : ""];
  return (
    // A press anywhere on the card may start a drag; the keyboard drag starts from the handle only.
    <li ref={setNodeRef} className={classes.filter(Boolean).join(" ")} data-id={card.id} aria-current={open ? "true" : undefined} {...listeners}>
      <CardFace card={card} onOpen={onOpen} />
      <div className="card-actions">
        <button type="button" ref={moveButton} className="card-move" aria-label={`Move “${card.title}”`} onClick={() => onMove(card)}>
          Move…
        </button>
        <button
          type="button"
          ref={setActivatorNodeRef}
          className="drag-handle icon-button"
          {...attributes}
          aria-label={`Drag “${card.title}”`}
          title="Drag to another stage"
        >
          <span aria-hidden="true">⠿</span>
        </button>
      </div>
    </li>
  );
}

/** What a card shows; the drag overlay shows the same without the controls. */
function CardFace({ card, onOpen }: { card: UseCaseSummary; onOpen?: (id: string) => void }) {
  const prefs = usePreferences();
  const days = daysSince(card.stage_since);
  const stuck = days > prefs.stale_after_days;
  return (
    <div className={stuck ? "card-face stuck" : "card-face"}>
      {onOpen ? (
        <button type="button" className="card-open" onClick={() => onOpen(card.id)}>
          {card.title}
        </button>
      ) : (
        <span className="card-title">{card.title}</span>
      )}
      <span className="card-unit muted">{card.business_unit || "No business unit"}</span>
      <span className="card-scores">
        <QuadrantBadge quadrant={card.quadrant} />
        {card.priority !== null && (
          <span className="card-priority" title="Priority, 0–100">
            Priority {score(card.priority)}
          </span>
        )}
      </span>
      <span className="card-days" title={`In ${STAGE_LABEL[card.stage]} since ${absoluteTime(card.stage_since, prefs.date_format)}`}>
        {stuck ? (
          <span className="stuck-label">
            <span aria-hidden="true">⚠ </span>Stuck · {plural(days, "day", "days")}
          </span>
        ) : (
          `${plural(days, "day", "days")} in stage`
        )}
      </span>
    </div>
  );
}

/**
 * The move of one card. From its Move… button: the stages it may go to, each with its gate (as on the Stage tab).
 * From a drop: straight to that stage's step, which names what the gate misses, or asks for the note the move needs.
 */
function MoveDialog({
  card,
  to,
  onClose,
  onOpen,
  onMoved,
}: {
  card: UseCaseSummary;
  to: Stage | null;
  onClose: () => void;
  onOpen: (id: string) => void;
  onMoved: (card: UseCaseSummary, to: Stage) => void;
}) {
  const uc = useUseCase(card.id);
  const options = useStageOptions(card.id);
  const [target, setTarget] = useState<Stage | null>(to);
  const move = useMoveStage();

  const go = (o: StageOption, note: string, onNoteError?: (message: string) => void) => {
    if (!uc.data) return;
    move.mutate(moveRequest(card.id, o.stage, note, uc.data.version), {
      onSuccess: () => onMoved(card, o.stage),
      onError: (e) => {
        const err = IpcError.from(e);
        if (err.field === "note") onNoteError?.(err.message);
      },
    });
  };
  const choose = (o: StageOption) => {
    move.reset();
    if (o.needs_note) setTarget(o.stage);
    else go(o, "");
  };

  const all = options.data ?? [];
  const option = all.find((o) => o.stage === target);
  const moveError = move.error instanceof IpcError && move.error.field !== "note" ? move.error : null;
  const back = { label: to === null ? "Back" : "Choose another stage", go: () => setTarget(null) };

  return (
    <Dialog title={`Move “${card.title}”`} onClose={onClose} initialFocus="[data-initial]">
      <div className="move-dialog">
        <p className="stage-now">
          Now at <StageBadge stage={uc.data?.stage ?? card.stage} />
        </p>
        <ErrorNote error={options.error ?? uc.error} />
        {moveError && <MoveError id={card.id} error={moveError} onReload={() => move.reset()} />}
        {(options.isLoading || uc.isLoading) && <p className="loading">Checking the gates…</p>}
        {options.data && target === null && (
          <>
            <MoveOptions options={all.filter((o) => o.kind !== null)} busy={move.isPending || !uc.data} onMove={choose} />
            <ImpossibleMoves options={all.filter((o) => o.kind === null)} />
            <div className="actions end">
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </>
        )}
        {options.data && target !== null && !option?.kind && (
          <>
            <p>
              “{card.title}” cannot move to {STAGE_LABEL[target]} from here{option?.reason ? `: ${option.reason}` : "."}
            </p>
            <div className="actions end">
              <button type="button" onClick={back.go}>
                {back.label}
              </button>
              <button type="button" className="primary" data-initial onClick={onClose}>
                OK
              </button>
            </div>
          </>
        )}
        {option?.kind && !option.allowed && (
          <>
            <p>
              “{card.title}” cannot move to {STAGE_LABEL[option.stage]} yet. {missingCount(option.gate)}
            </p>
            <GateChecklist stage={option.stage} gate={option.gate} />
            <div className="actions end">
              <button type="button" onClick={back.go}>
                {back.label}
              </button>
              <button
                type="button"
                onClick={() => {
                  onClose();
                  onOpen(card.id);
                }}
              >
                Open “{card.title}” to fix
              </button>
              <button type="button" className="primary" data-initial onClick={onClose}>
                OK
              </button>
            </div>
          </>
        )}
        {option?.kind && option.allowed && <NoteStep option={option} busy={move.isPending || !uc.data} onMove={go} onBack={back} />}
      </div>
    </Dialog>
  );
}

/** The move to one stage, with its note: required (the reason) for moving back, parking or retiring, optional otherwise. */
function NoteStep({
  option,
  busy,
  onMove,
  onBack,
}: {
  option: StageOption;
  busy: boolean;
  onMove: (o: StageOption, note: string, onNoteError: (message: string) => void) => void;
  onBack: { label: string; go: () => void };
}) {
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | undefined>();
  const field = useRef<HTMLTextAreaElement>(null);
  // Reached from the list of stages, the dialog is already open: focus moves here itself.
  useEffect(() => field.current?.focus(), []);
  const label = STAGE_LABEL[option.stage];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const missing = missingNote(option, note);
    if (missing) {
      setError(missing);
      field.current?.focus();
      return;
    }
    onMove(option, note, (message) => {
      setError(message);
      field.current?.focus();
    });
  };

  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="pipeline-move-note">{option.needs_note ? `Why move to ${label}?` : "Note (optional)"}</label>
        <textarea
          id="pipeline-move-note"
          ref={field}
          data-initial
          rows={3}
          value={note}
          aria-required={option.needs_note || undefined}
          aria-invalid={Boolean(error)}
          aria-describedby={error ? "pipeline-move-note-error pipeline-move-note-hint" : "pipeline-move-note-hint"}
          onChange={(e) => {
            setNote(e.target.value);
            setError(undefined);
          }}
        />
        <p className="hint" id="pipeline-move-note-hint">
          {option.needs_note ? "Moving back, parking or retiring needs the reason; it is kept in the use case's timeline." : "Kept in the use case's timeline."}
        </p>
        <FieldError id="pipeline-move-note-error" message={error} />
      </div>
      <div className="actions end">
        <button type="button" onClick={onBack.go}>
          {onBack.label}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          Move to {label}
        </button>
      </div>
    </form>
  );
}
