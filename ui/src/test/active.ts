// During the move off the fake engine: the backend the mocked IPC talks to is the one the test reset last.
type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
type Listen = (event: string, handler: (e: { event: string; id: number; payload: unknown }) => void) => Promise<() => void>;
let active: { invoke: Invoke; listen: Listen } | null = null;
export function activate(b: { invoke: Invoke; listen: Listen }) {
  active = b;
}
export const invokeActive: Invoke = (cmd, args) => active!.invoke(cmd, args);
export const listenActive: Listen = (event, handler) => active!.listen(event, handler);
