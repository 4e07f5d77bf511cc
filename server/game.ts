// The game on an HTTP server: the room service and socket.io, without Next. The app server
// (server/app.ts), the tests and the benchmarks all boot it through here.
import type { Server as HttpServer } from "node:http";
import type { Db } from "./db";
import type { Logger } from "./logger";
import { createRealtimeServer, type AppServer, type RealtimeOptions } from "./realtime";
import { createRoomService, type RoomService } from "./rooms/service";

export interface GameDeps {
  db: Db;
  logger: Logger;
  clock: () => number;
  rng: () => number;
  allowedOrigins: string[];
  /** Overrides of the socket limits (tests and benchmarks); the defaults suit a classroom. */
  limits?: Pick<RealtimeOptions, "eventsPerSecond" | "handshakesPer10s" | "maxStrikes">;
}

export interface Game {
  io: AppServer;
  rooms: RoomService;
  close(): Promise<void>;
}

export function attachGame(http: HttpServer, deps: GameDeps): Game {
  const rooms = createRoomService(deps);
  const io = createRealtimeServer(http, rooms.handlers, {
    logger: deps.logger,
    allowedOrigins: deps.allowedOrigins,
    ...deps.limits,
    onConnection: (socket) => rooms.onConnection(socket),
    onDisconnect: (socket, reason) => rooms.onDisconnect(socket, reason),
  });
  rooms.attach(io);
  return {
    io,
    rooms,
    async close() {
      await rooms.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
