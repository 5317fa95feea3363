// The public entry of features/sync: Sync with the registry: the provider the app runs in, the Sync view, and the status line.
export { SyncProvider, isConnected } from "./sync";
export { SyncView } from "./syncView";
export { SyncStatusLine, needsAttention } from "./syncStatusLine";
