// The IPC layer: the request goes as `req`, no-argument commands send nothing, and rejections become IpcError.
import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";

import { resetBackend } from "../test/backend";
import { call, IpcError } from "./ipc";

beforeEach(() => {
  resetBackend();
});

describe("call", () => {
  it("sends the request as `req`, and nothing for commands without one", async () => {
    const mocked = vi.mocked(invoke);
    mocked.mockClear();
    await call("identity_get");
    await call("use_case_list", { limit: 5 });
    expect(mocked.mock.calls).toEqual([
      ["identity_get", {}],
      ["use_case_list", { req: { limit: 5 } }],
    ]);
  });

  it("turns the engine's error into an IpcError with code, field and details", async () => {
    const err = await call("use_case_get", "nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(IpcError);
    expect(err).toMatchObject({ code: "not_found", message: "no use case with id nope", details: [] });
  });

  it("marks a rejection that is not the engine's error as `ipc`", () => {
    const e = IpcError.from("invalid args `req` for command `use_case_get`");
    expect(e.code).toBe("ipc");
    expect(e.message).toContain("invalid args");
    expect(IpcError.from({ code: "gate_blocked", message: "no", details: ["missing: x"] }).details).toEqual(["missing: x"]);
  });
});
