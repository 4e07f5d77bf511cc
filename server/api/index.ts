// Every HTTP API route, in one list.
import type { Db } from "../db";
import type { HistoryOptions } from "./history-auth";
import type { Route } from "./router";
import { historyRoutes } from "./history";
import { runRoutes } from "./runs";

export function apiRoutes(db: Db, history: HistoryOptions): Route[] {
  return [...runRoutes(db), ...historyRoutes(db, history)];
}
