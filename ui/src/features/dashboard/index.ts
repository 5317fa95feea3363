// The public entry of features/dashboard: The Dashboard view.
export { DashboardView } from "./dashboardView";
