// The game server (sockets + rooms + SQLite, no Next) in its own process, so the benchmark's
// simulated students don't share its CPU. Talks to scripts/bench-room.ts over IPC.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { openDatabase } from "../../server/db";
import { attachGame } from "../../server/game";
import { createLogger } from "../../server/logger";
import { migrateDatabase } from "../../server/migrate";

const dbUrl = process.env.DATABASE_URL!;
const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
await migrateDatabase(dbUrl, logger);
const db = await openDatabase(dbUrl);
const http = createServer();
const game = attachGame(http, {
  db,
  logger,
  clock: Date.now,
  rng: Math.random,
  allowedOrigins: [],
  // Every simulated student connects from 127.0.0.1; real classes spread over many addresses.
  limits: { handshakesPer10s: 100_000 },
});
await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));

// The longest the event loop was blocked: a stall longer than the ping timeout would drop sockets.
const stalls = monitorEventLoopDelay({ resolution: 10 });
stalls.enable();

process.on("message", (msg: { type: string; name?: string }) => {
  void (async () => {
    if (msg.type === "mark") {
      // Phase boundaries on the CPU profile's clock (µs, monotonic), for scripts that slice it.
      process.stderr.write(`bench-mark ${msg.name} ${process.hrtime.bigint() / 1000n}\n`);
      if (msg.name === "round") stalls.reset();
    } else if (msg.type === "stats") {
      process.send!({
        type: "stats",
        cpu: process.cpuUsage(),
        rss: process.memoryUsage().rss,
        maxStallMs: stalls.max / 1e6,
      });
    } else if (msg.type === "count") {
      process.send!({ type: "count", answers: await db.answer.count() });
    } else if (msg.type === "stop") {
      await game.close();
      await db.$disconnect();
      process.exit(0);
    }
  })();
});
process.send!({ type: "ready", port: (http.address() as AddressInfo).port });
