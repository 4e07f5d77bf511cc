// Every HTTP API route, in one list.
import type { Db } from "../db";
import type { HistoryOptions } from "./history-auth";
import type { Route } from "./router";
import { historyRoutes } from "./history";
import { roomRoutes } from "./rooms";
import { runRoutes } from "./runs";
import type { RoomService } from "../rooms/service";
import { forgeRoutes } from "../forge-routes";

export function apiRoutes(db: Db, history: HistoryOptions, rooms: RoomService): Route[] {
  return [
    ...runRoutes(db),
    ...historyRoutes(db, history),
    ...roomRoutes(rooms),
    ...forgeRoutes(rooms),
  ];
}
