// The game server (sockets + rooms + SQLite, no Next) as its own process for the fault benchmarks:
// it can be killed with SIGKILL mid-round and started again on the same port and database.
// Reports { type: "ready", port } over IPC; PORT=0 picks a free port.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { openDatabase } from "../../server/db";
import { attachGame } from "../../server/game";
import { createLogger } from "../../server/logger";
import { migrateDatabase } from "../../server/migrate";

const dbUrl = process.env.DATABASE_URL!;
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
await migrateDatabase(dbUrl, logger);
const db = await openDatabase(dbUrl);
const http = createServer();
attachGame(http, {
  db,
  logger,
  clock: Date.now,
  rng: Math.random,
  allowedOrigins: [],
  // Every simulated student connects from 127.0.0.1 and reconnects after each kill.
  limits: { handshakesPer10s: 1_000_000 },
});
await new Promise<void>((resolve) =>
  http.listen(Number(process.env.PORT ?? 0), "127.0.0.1", resolve),
);
// { type: "stall", ms }: blocks the event loop (as a long synchronous job would) without using
// the CPU, then answers { type: "stalled" }; heartbeat tests use it for a busy server.
process.on("message", (msg: { type: string; ms?: number }) => {
  if (msg.type !== "stall") return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, msg.ms ?? 0);
  process.send?.({ type: "stalled" });
});
process.send?.({ type: "ready", port: (http.address() as AddressInfo).port });
