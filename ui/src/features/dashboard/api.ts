// Dashboard's reads and changes of the engine: the dashboard's figures of the live portfolio; it changes nothing.
import { useRead, type ReadOptions } from "../../lib/queries";

export const useDashboard = (o?: ReadOptions<"dashboard_get">) => useRead("dashboard_get", [], o);
