// One game process of a cluster (sockets + rooms + Redis + PostgreSQL, no Next), for the cluster
// tests and benchmark: the same attachGame as the app, on REDIS_URL and DATABASE_URL, in its own
// process so it can be killed with SIGKILL. Without REDIS_URL: the plain single process (the
// benchmark's baseline). Reports { type: "ready", port, nodeId } over IPC and
// answers { type: "stats" } with CPU, memory and the router's counters. PORT=0 picks a free port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { clusterConfigFromEnv, connectCluster } from "../../server/cluster";
import { openDatabase } from "../../server/db";
import { attachGame } from "../../server/game";
import { createLogger } from "../../server/logger";
import { migrateDatabase } from "../../server/migrate";

interface ReadRequest {
  type: "read";
  id: number;
  method: "latestSnapshot" | "forgeSnapshot";
  code: string;
  token: string;
}

const dbUrl = process.env.DATABASE_URL!;
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
const config = clusterConfigFromEnv();
if (process.env.MIGRATE !== "0") await migrateDatabase(dbUrl, logger);
const db = await openDatabase(dbUrl);
const cluster = config ? await connectCluster(config, logger) : null;
const http = createServer();
const game = attachGame(http, {
  db,
  logger,
  clock: Date.now,
  rng: Math.random,
  allowedOrigins: [],
  cluster,
  // Every simulated student connects from 127.0.0.1 and reconnects after a kill.
  limits: { handshakesPer10s: 1_000_000 },
});
await new Promise<void>((resolve) =>
  http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve),
);
process.on("message", (msg: { type: string }) => {
  if (msg.type === "stats") {
    process.send?.({
      type: "stats",
      cpu: process.cpuUsage(),
      rss: process.memoryUsage().rss,
      router: game.cluster?.router.stats,
      leases: game.cluster?.leases.codes() ?? [],
      sockets: game.io.of("/").sockets.size,
    });
  } else if (msg.type === "forget") {
    // What the history API does after deleting a room's rows (server/app.ts → rooms.forget).
    game.rooms.forget((msg as { type: string; roomId: string }).roomId);
  } else if (msg.type === "read") {
    // What GET /api/rooms/:code/snapshot and /forge ask (server/api/rooms.ts, forge-routes.ts).
    const { id, method, code, token } = msg as ReadRequest;
    void game.rooms[method](code, token).then(
      (result) =>
        process.send?.({
          type: "read",
          id,
          result: result && {
            step: result.step,
            weights: Buffer.from(result.weights).toString("base64"),
          },
        }),
      (err: unknown) => process.send?.({ type: "read", id, error: String(err) }),
    );
  } else if (msg.type === "stop") {
    void game
      .close()
      .then(() => cluster?.close())
      .finally(() => process.exit(0));
  }
});
process.send?.({
  type: "ready",
  port: (http.address() as AddressInfo).port,
  nodeId: config?.nodeId ?? "single",
});
