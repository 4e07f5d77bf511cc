// The game on an HTTP server: the room service and socket.io, without Next. The app server
// (server/app.ts), the tests and the benchmarks all boot it through here.
//
// With a cluster connection (REDIS_URL; server/cluster), the same game runs as one of several
// processes: socket.io uses the Redis Streams adapter, each room is leased to one process, and
// every client event is routed to the room's owner. Without one, nothing of that is loaded.
import type { Server as HttpServer } from "node:http";
import type { Db } from "./db";
import type { Logger } from "./logger";
import {
  createRealtimeServer,
  type AppServer,
  type Handlers,
  type RealtimeOptions,
} from "./realtime";
import { createRoomService, type RoomService } from "./rooms/service";
import type { ClusterConnection } from "./cluster";
import { createClusterRouter, type ClusterRouter } from "./cluster/router";
import { forwardedAddress } from "./cluster/config";
import type { LeaseManager } from "./cluster/lease";

export interface GameDeps {
  db: Db;
  logger: Logger;
  clock: () => number;
  rng: () => number;
  allowedOrigins: string[];
  /** Overrides of the socket limits (tests and benchmarks); the defaults suit a classroom. */
  limits?: Pick<RealtimeOptions, "eventsPerSecond" | "handshakesPer10s" | "maxStrikes">;
  /** Run as one process of a cluster (default: the one set by setProcessCluster, if any). */
  cluster?: ClusterConnection | null;
}

export interface Game {
  io: AppServer;
  rooms: RoomService;
  /** Cluster mode only: the router (its counters) and this process's leases. */
  cluster: { router: ClusterRouter; leases: LeaseManager } | null;
  close(): Promise<void>;
}

let processCluster: ClusterConnection | null = null;

/** The composition root (server/index.ts) sets this when REDIS_URL is given, before the app starts. */
export function setProcessCluster(connection: ClusterConnection | null): void {
  processCluster = connection;
}

/** How often a process looks for rooms whose owner died among the rooms its sockets play in. */
const SWEEP_MS = 1000;

export function attachGame(http: HttpServer, deps: GameDeps): Game {
  const connection = deps.cluster === undefined ? processCluster : deps.cluster;
  let rooms: RoomService | null = null;
  const leases =
    connection?.leases({
      onLost: (code) => rooms?.release(code),
      inUse: (code) => rooms?.hasRoom(code) ?? false,
    }) ?? null;
  const service = createRoomService({
    ...deps,
    ...(leases && {
      owns: (code: string) => leases.owns(code),
      claim: async (code: string) => "lease" in (await leases.acquire(code)),
    }),
  });
  rooms = service;
  let router: ClusterRouter | null = null;
  // In cluster mode the handlers are the router's, filled in once io exists (realtime.ts looks
  // them up per event).
  const handlers: Handlers = leases ? ({} as Handlers) : service.handlers;
  const io = createRealtimeServer(http, handlers, {
    logger: deps.logger,
    allowedOrigins: deps.allowedOrigins,
    ...deps.limits,
    ...(connection?.config.trustProxy && { clientAddress: forwardedAddress }),
    onConnection: (socket) => service.onConnection(socket),
    onDisconnect: (socket, reason) =>
      router ? router.onDisconnect(socket, reason) : service.onDisconnect(socket, reason),
  });
  service.attach(io);
  let sweep: NodeJS.Timeout | null = null;
  if (connection && leases) {
    io.adapter(connection.adapter);
    router = createClusterRouter({
      io,
      rooms: service,
      local: service.handlers,
      leases,
      nodeId: connection.config.nodeId,
      leaseMs: connection.config.leaseMs,
      logger: deps.logger,
    });
    Object.assign(handlers, router.handlers);
    const each = router;
    sweep = setInterval(() => void each.sweep(), SWEEP_MS);
    sweep.unref();
  }
  const r = router;
  return {
    io,
    // In cluster mode a deleted room is dropped by whichever process runs it, and the HTTP room
    // reads (forge download, projector resume) are answered by that process too.
    rooms: r
      ? {
          ...service,
          forget: (roomId: string) => r.forget(roomId),
          latestSnapshot: (code: string, token: string) => r.read("latestSnapshot", code, token),
          forgeSnapshot: (code: string, token: string) => r.read("forgeSnapshot", code, token),
        }
      : service,
    cluster: router && leases ? { router, leases } : null,
    async close() {
      if (sweep) clearInterval(sweep);
      await service.close();
      // Handing the leases back lets another process take the rooms at once, not after expiry.
      router?.close();
      await leases?.close();
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
