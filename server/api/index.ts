// Every HTTP API route, in one list.
import type { Db } from "../db";
import type { Route } from "./router";
import { historyRoutes } from "./history";
import { runRoutes } from "./runs";

export function apiRoutes(db: Db): Route[] {
  return [...runRoutes(db), ...historyRoutes(db)];
}
