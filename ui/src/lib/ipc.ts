// Calling the backend: one typed `call` per command of the generated `Api` (declared once, in
// src-tauri/src/commands.rs), and the error it rejects with.
import { invoke } from "@tauri-apps/api/core";

import { ERROR_CODES, type Api } from "../bindings/api";
import type { Error as BackendError } from "../bindings/Error";
import type { ErrorCode } from "../bindings/ErrorCode";

export type { Api };
export type Command = keyof Api;
export type Req<K extends Command> = Api[K][0];
export type Res<K extends Command> = Api[K][1];
/** The arguments after the command name: none for commands without a request. */
export type ReqArgs<K extends Command> = Req<K> extends undefined ? [] : [req: Req<K>];

/**
 * A refused command. `code` is the backend's closed set, or `ipc` when the rejection did
 * not come from the engine at all (e.g. Tauri could not deserialise the arguments).
 */
export class IpcError extends Error {
  readonly code: ErrorCode | "ipc";
  readonly field: string | undefined;
  readonly details: string[];

  constructor(code: ErrorCode | "ipc", message: string, field?: string, details?: string[]) {
    super(message);
    this.name = "IpcError";
    this.code = code;
    this.field = field;
    this.details = details ?? [];
  }

  static from(raw: unknown): IpcError {
    if (raw instanceof IpcError) return raw;
    if (isBackendError(raw)) return new IpcError(raw.code, raw.message, raw.field, raw.details);
    const message = typeof raw === "string" ? raw : raw instanceof Error ? raw.message : "Something went wrong talking to the app's engine.";
    return new IpcError("ipc", message);
  }
}

function isBackendError(raw: unknown): raw is BackendError {
  if (typeof raw !== "object" || raw === null) return false;
  const r = raw as Record<string, unknown>;
  return typeof r.message === "string" && typeof r.code === "string" && (ERROR_CODES as readonly string[]).includes(r.code);
}

/** Calls one command; rejects with an `IpcError`. */
export async function call<K extends Command>(cmd: K, ...args: ReqArgs<K>): Promise<Res<K>> {
  const req = args[0];
  try {
    return await invoke<Res<K>>(cmd, req === undefined ? {} : { req });
  } catch (raw) {
    throw IpcError.from(raw);
  }
}

/** The error's message beside a given form field, if it belongs to that field. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof IpcError && error.field === field ? error.message : undefined;
}
