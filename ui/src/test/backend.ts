// The IPC as the UI tests see it: each command answers what the test states, starting from what the engine
// answers a fresh store (`engine.json`, written by the engine's tests). No rule of the engine lives here: a test
// that needs a gate, a score or a sync outcome states it, and the engine's own tests assert how it is reached.
import type { Error as BackendError } from "../bindings/Error";
import type { Person } from "../bindings/Person";
import type { Progress } from "../bindings/Progress";
import type { UseCase } from "../bindings/UseCase";
import type { Command, Req, Res } from "../lib/ipc";
import { engine, page, record, testModel, type UseCaseFields } from "./answers";

export interface Call {
  cmd: Command;
  req: unknown;
}

/** What a command answers: a value, or a function of the request (which may throw a `BackendError`). */
export type Answer<K extends Command> = Res<K> | ((req: Req<K>) => Res<K> | Promise<Res<K>>);

/** A call kept running by `holdNext` until the test lets it go on, or refuses it. */
export interface Held {
  /** Resolves once the held command has been called. */
  readonly called: Promise<void>;
  release(): void;
  reject(error: BackendError): void;
}

/** An event handler, as `listen` from `@tauri-apps/api/event` takes it. */
type Listener = (e: { event: string; id: number; payload: unknown }) => void;

type Answers = { [K in Command]?: Answer<K> };

export class Backend {
  calls: Call[] = [];
  /** Commands called that the test stated no answer for: the setup fails the test on any. */
  unanswered: string[] = [];
  /** The use cases the test put in the store: `use_case_get` finds them by id, `use_case_list` lists them all, in order. */
  useCases = new Map<string, UseCase>();
  /** Who `people_list` answers. */
  people: Person[] = [];
  /** The model `seed` scores against and `scoring_model_get` answers. */
  model = testModel();
  private answers: Answers = {};
  private failures = new Map<Command, BackendError[]>();
  private holds = new Map<Command, Held & { wait: Promise<void>; arrived: () => void }>();
  private listeners = new Map<string, Set<Listener>>();
  private seq = 0;

  constructor() {
    const stored = (id: string) => {
      const uc = this.useCases.get(id);
      if (!uc) throw { code: "not_found", message: `no use case with id ${id}` } satisfies BackendError;
      return uc;
    };
    this.answers = {
      store_status: "/home/tess/.local/share/ai-factory-portfolio/portfolio.db",
      log_file: "/home/tess/.local/share/com.aifactory.portfolio/logs/portfolio.log",
      identity_get: engine.identity,
      people_list: () => this.people,
      scoring_model_get: () => this.model,
      gate_rules_get: engine.gate_rules,
      preferences_get: engine.preferences,
      triage_rules: engine.triage_rules,
      pattern_catalogue: engine.catalogue,
      dashboard_get: engine.dashboard,
      matrix_get: engine.matrix,
      sensitivity_get: engine.sensitivity,
      filter_choices: engine.filter_choices,
      sync_status: engine.sync_status,
      sync_conflicts: [],
      saved_view_list: [],
      duplicate_pairs: [],
      similar_to_draft: [],
      use_case_list: () => page([...this.useCases.values()]),
      use_case_get: stored,
      use_case_stage_options: engine.stage_options,
      use_case_history: [],
      use_case_timeline: [],
      use_case_model_scores: [],
      kpi_list: [],
      review_changes: () => {
        throw engine.review_changes;
      },
      first_page_shown: null,
    };
  }

  /** From now on `cmd` answers `answer` (a value, or a function of the request). */
  answer<K extends Command>(cmd: K, answer: Answer<K>): this {
    (this.answers as Record<string, unknown>)[cmd] = answer;
    return this;
  }

  /** `cmd` answers these in turn, one per call; the last one stays. */
  answerInTurn<K extends Command>(cmd: K, answers: Answer<K>[]): this {
    const queue = [...answers];
    return this.answer(cmd, (req: Req<K>) => {
      const next = (queue.length > 1 ? queue.shift() : queue[0]) as Answer<K>;
      return typeof next === "function" ? (next as (r: Req<K>) => Res<K>)(req) : next;
    });
  }

  /** The next call of `cmd` rejects with `error`. */
  failNext(cmd: Command, error: BackendError): this {
    this.failures.set(cmd, [...(this.failures.get(cmd) ?? []), error]);
    return this;
  }

  /** The next call of `cmd` keeps running (to show its progress, or be cancelled) until the test releases or rejects it. */
  holdNext(cmd: Command): Held {
    let arrived = () => {};
    const called = new Promise<void>((r) => (arrived = r));
    let release = () => {};
    let reject: (e: BackendError) => void = () => {};
    const wait = new Promise<void>((res, rej) => {
      release = res;
      reject = rej;
    });
    const held = { called, wait, arrived, release: () => release(), reject: (e: BackendError) => reject(e) };
    this.holds.set(cmd, held);
    return held;
  }

  /** Puts a use case in the store (see `record` for what is not given); it comes back as stored. */
  seed(fields: UseCaseFields): UseCase {
    const uc = record({ id: `uc-${String(++this.seq).padStart(4, "0")}`, ...fields }, this.model);
    this.useCases.set(uc.id, uc);
    return uc;
  }

  /** The stored use case changed (here, or in another window): its version moves on; it comes back as stored. */
  update(id: string, fields: Partial<UseCase>): UseCase {
    const old = this.useCases.get(id);
    if (!old) throw new Error(`the test seeded no use case ${id}`);
    const uc = { ...old, ...fields, version: old.version + 1 };
    this.useCases.set(id, uc);
    return uc;
  }

  /** Adds someone `people_list` answers with. */
  addPerson(p: { email: string; name?: string; business_unit?: string }): Person {
    const person = { id: `p${++this.seq}`, email: p.email, name: p.name ?? p.email.split("@")[0]!, business_unit: p.business_unit ?? "" };
    this.people.push(person);
    return person;
  }

  /** The request of the latest call of `cmd`. */
  lastCall<K extends Command>(cmd: K): Req<K> | undefined {
    return this.callsOf(cmd).at(-1);
  }

  callsOf<K extends Command>(cmd: K): Req<K>[] {
    return this.calls.filter((c) => c.cmd === cmd).map((c) => c.req as Req<K>);
  }

  emit(event: string, payload: unknown): void {
    for (const l of this.listeners.get(event) ?? []) l({ event, id: 0, payload });
  }

  /** A `task-progress` event, as the engine emits while a long command runs. */
  progress(p: Progress): void {
    this.emit("task-progress", p);
  }

  /** What the mocked `listen` calls; returns the unlisten function. */
  listen(event: string, handler: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set<Listener>();
    set.add(handler);
    this.listeners.set(event, set);
    return () => set.delete(handler);
  }

  /** How many handlers listen for `event` now. */
  listening(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  async invoke(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
    const name = cmd as Command;
    const req = args?.req;
    this.calls.push({ cmd: name, req });
    await Promise.resolve();
    // Like Tauri: an argument under another name never reaches the command.
    if (Object.keys(args ?? {}).some((k) => k !== "req")) throw `invalid args \`req\` for command \`${cmd}\`: command ${cmd} missing required key req`;
    const held = this.holds.get(name);
    if (held) {
      this.holds.delete(name);
      held.arrived();
      await held.wait;
    }
    const failure = this.failures.get(name)?.shift();
    if (failure) throw failure;
    if (!(name in this.answers)) {
      this.unanswered.push(name);
      throw new Error(`the test states no answer for \`${name}\` (called with ${JSON.stringify(req)})`);
    }
    const answer = this.answers[name] as unknown;
    const result = typeof answer === "function" ? await (answer as (r: unknown) => unknown)(req) : answer;
    // Like Tauri, hand back a copy: the UI never shares objects with the engine.
    return structuredClone(result);
  }
}

let current = new Backend();

/** A fresh backend for the next test. */
export function resetBackend(): Backend {
  current = new Backend();
  return current;
}

/** Commands the test called without stating their answer (the setup fails a test that has any). */
export function unanswered(): string[] {
  return current.unanswered;
}

export function listenFake(event: string, handler: Listener): Promise<() => void> {
  return Promise.resolve(current.listen(event, handler));
}

export function invokeFake(cmd: string, args?: Record<string, unknown>): Promise<unknown> {
  return current.invoke(cmd, args);
}
