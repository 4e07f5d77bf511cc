// Cluster mode: several processes (and machines) serve one game as a configuration of the same
// code. Set REDIS_URL (and a postgresql:// DATABASE_URL) and start as many `server/index.ts`
// processes as you like behind a proxy; see docs/SCALE.md.
//   - socket.io broadcasts cross processes through the Redis Streams adapter;
//   - each room runs in exactly one process, the holder of its lease (./lease.ts);
//   - events reach it from whichever process holds the socket (./router.ts);
//   - if that process dies, another takes the room over from the database within a lease period.
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { createClient } from "redis";
import type { Logger } from "../logger";
import type { ClusterConfig } from "./config";
import { createLeaseManager, type LeaseManager } from "./lease";

export { clusterConfigFromEnv, type ClusterConfig } from "./config";
export { createClusterRouter, type ClusterRouter } from "./router";

type RedisClient = ReturnType<typeof createClient>;

export interface ClusterConnection {
  config: ClusterConfig;
  redis: RedisClient;
  /** socket.io adapter factory: io.adapter(connection.adapter). */
  adapter: ReturnType<typeof createAdapter>;
  leases(hooks: { onLost(code: string): void; inUse(code: string): boolean }): LeaseManager;
  close(): Promise<void>;
}

export async function connectCluster(
  config: ClusterConfig,
  logger: Logger,
): Promise<ClusterConnection> {
  const redis: RedisClient = createClient({
    url: config.redisUrl,
    socket: { reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2000) },
  });
  let errors = 0;
  redis.on("error", (err: unknown) => {
    // Logged once per outage; node-redis reconnects on its own.
    if (errors++ === 0) logger.error({ err }, "redis connection error");
  });
  redis.on("ready", () => {
    if (errors > 0) logger.info("redis connection restored");
    errors = 0;
  });
  await redis.connect(); // fail at start, not on the first event, if Redis is unreachable
  const adapter = createAdapter(redis, {
    streamName: `${config.prefix}:socket.io`,
    channelPrefix: `${config.prefix}:socket.io`,
    sessionKeyPrefix: `${config.prefix}:sio:session:`,
    // An idle reader wakes this often; it also bounds how long closing waits for it.
    blockTimeInMs: 2000,
  });
  logger.info({ node: config.nodeId, leaseMs: config.leaseMs }, "cluster mode (Redis)");
  return {
    config,
    redis,
    adapter,
    leases: (hooks) =>
      createLeaseManager({
        redis: redis as unknown as Parameters<typeof createLeaseManager>[0]["redis"],
        nodeId: config.nodeId,
        leaseMs: config.leaseMs,
        prefix: config.prefix,
        logger,
        ...hooks,
      }),
    async close() {
      await redis.quit().catch(() => undefined);
    },
  };
}
