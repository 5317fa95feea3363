// The public entry of features/settings: The Settings view, and the first-run question it shares a form with.
export { SettingsView } from "./settingsView";
export { FirstRunDialog } from "./identity";
