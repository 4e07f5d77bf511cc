// Composition root: env → logger → database (migrated) → one HTTP server for Next + socket.io.
import { loadEnv } from "./env";
import { startApp } from "./app";
import { clusterConfigFromEnv } from "./cluster/config";
import { closeDatabase, openDatabase } from "./db";
import { setProcessCluster } from "./game";
import { createLogger } from "./logger";
import { migrateDatabase } from "./migrate";
import { startRetention } from "./retention";

// Next would otherwise phone home with telemetry; this app makes no third-party requests.
process.env.NEXT_TELEMETRY_DISABLED = "1";

async function main(): Promise<void> {
  const env = loadEnv();
  const dev = process.argv.includes("--dev") || env.NODE_ENV === "development";
  const logger = createLogger(env.LOG_LEVEL);
  await migrateDatabase(env.DATABASE_URL, logger);
  const db = await openDatabase(env.DATABASE_URL);
  const stopRetention = startRetention(db, env.RETENTION_DAYS, logger);
  // REDIS_URL: one process of several (server/cluster, docs/SCALE.md). Unset: a single process.
  const clusterConfig = clusterConfigFromEnv();
  // Loaded only then, so a single process never loads the Redis client or the adapter.
  const cluster = clusterConfig
    ? await (await import("./cluster")).connectCluster(clusterConfig, logger)
    : null;
  setProcessCluster(cluster);
  const app = await startApp({ env, logger, db, dev });
  logger.info(`Spot the Fake is running at ${app.url}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    try {
      stopRetention();
      await app.close();
      await cluster?.close();
      // On SQLite this also checkpoints the WAL, so the database file is complete on its own.
      await closeDatabase(db);
      logger.info("stopped cleanly");
      logger.flush();
      process.exit(0);
    } catch (err) {
      logger.error({ err }, "shutdown failed");
      process.exit(1);
    }
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
