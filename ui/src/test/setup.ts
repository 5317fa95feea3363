// Test setup: jest-dom matchers, the IPC and its events answered as each test states (test/backend.ts), and the layout jsdom lacks.
import "@testing-library/jest-dom/vitest";
import { cleanup } from "@testing-library/react";
import { afterEach, beforeEach, expect, vi } from "vitest";

import { resetBackend, unanswered } from "./backend";

vi.mock("@tauri-apps/api/core", async () => {
  const { invokeFake } = await import("./backend");
  return { invoke: vi.fn(invokeFake) };
});

vi.mock("@tauri-apps/api/event", async () => {
  const { listenFake } = await import("./backend");
  return { listen: vi.fn(listenFake) };
});

// jsdom has no modal dialogs: showing one opens it (the page behind stays as it is), closing closes it.
HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
  this.setAttribute("open", "");
};
HTMLDialogElement.prototype.close = function close(this: HTMLDialogElement) {
  this.removeAttribute("open");
};

// jsdom has no layout: give scroll containers a size so the virtual table renders rows.
Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => 600 });
Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => 1000 });
Element.prototype.scrollTo = function scrollTo(this: Element, opts?: ScrollToOptions | number) {
  if (typeof opts === "object" && opts.top !== undefined) this.scrollTop = opts.top;
} as Element["scrollTo"];

beforeEach(() => {
  resetBackend();
});

afterEach(() => {
  cleanup();
  expect(unanswered(), "commands called with no answer stated").toEqual([]);
});
