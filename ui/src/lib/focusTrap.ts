// Keeping keyboard focus inside a dialog or panel while it is open, and giving it back when it closes.
import { useEffect, useRef, type KeyboardEvent, type RefObject } from "react";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter((el) => !el.closest("[hidden]"));
}

/**
 * Focuses the first control (or the `initial` selector) of `ref` on open and restores the previous focus on
 * close. Returns the container's key handler: Tab wraps at the ends, Esc calls `onEscape`.
 * It is a React handler, so a control inside that uses Esc itself (a list) can stop it first.
 */
export function useFocusTrap(ref: RefObject<HTMLElement | null>, onEscape: () => void, initial?: string): (e: KeyboardEvent) => void {
  const escape = useRef(onEscape);
  useEffect(() => {
    escape.current = onEscape;
  });

  useEffect(() => {
    const root = ref.current;
    if (!root) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    // A named target not rendered yet (still loading) leaves focus on the container itself.
    const first = initial ? (root.querySelector<HTMLElement>(initial) ?? root) : (focusables(root)[0] ?? root);
    first.focus();
    return () => {
      if (previous && document.contains(previous)) previous.focus();
    };
  }, [ref, initial]);

  return (e: KeyboardEvent) => {
    const root = ref.current;
    if (!root) return;
    if (e.key === "Escape") {
      e.stopPropagation();
      escape.current();
      return;
    }
    if (e.key !== "Tab") return;
    const items = focusables(root);
    if (items.length === 0) return;
    const head = items[0]!;
    const tail = items[items.length - 1]!;
    if (e.shiftKey && document.activeElement === head) {
      e.preventDefault();
      tail.focus();
    } else if (!e.shiftKey && document.activeElement === tail) {
      e.preventDefault();
      head.focus();
    }
  };
}
