// Every HTTP API route, in one list.
import type { Db } from "../db";
import type { Route } from "./router";
import { runRoutes } from "./runs";

export function apiRoutes(db: Db): Route[] {
  return [...runRoutes(db)];
}
