// Cluster configuration, read from the environment only when REDIS_URL is set. Without it the
// server is the single process it always was (SQLite or PostgreSQL, no Redis).
import type { IncomingMessage } from "node:http";
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { z } from "zod";

const ClusterEnv = z.object({
  /** redis://[user:password@]host:port[/db]: turns the cluster mode on. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "REDIS_URL must start with redis:// or rediss://"),
  /** How long a room's lease lives without renewal: the take-over time after a crash. */
  ROOM_LEASE_MS: z.coerce.number().int().min(1000).max(60_000).default(5000),
  /** A name for this process in logs and leases (default: host name, pid and a random tag). */
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,80}$/)
    .optional(),
  /** Prefix of every Redis key and channel this app uses (several apps may share one Redis). */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,40}$/)
    .default("stf"),
  /** 1: the processes sit behind a proxy that appends the client's address to X-Forwarded-For
   * (scripts/cluster.ts's does); rate limits then count that address, not the proxy's. */
  TRUST_PROXY: z.enum(["0", "1"]).default("0"),
});

export interface ClusterConfig {
  redisUrl: string;
  leaseMs: number;
  nodeId: string;
  prefix: string;
  trustProxy: boolean;
}

/** null when REDIS_URL is unset: the single-process server. */
export function clusterConfigFromEnv(
  source: Record<string, string | undefined> = process.env,
): ClusterConfig | null {
  if (!source.REDIS_URL) return null;
  const parsed = ClusterEnv.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid cluster environment:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    redisUrl: env.REDIS_URL,
    leaseMs: env.ROOM_LEASE_MS,
    nodeId: env.NODE_ID ?? defaultNodeId(),
    prefix: env.REDIS_PREFIX,
    trustProxy: env.TRUST_PROXY === "1",
  };
}

export function defaultNodeId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
}

/** The address the trusted proxy saw: the last entry of X-Forwarded-For (the one it appended). */
export function forwardedAddress(req: IncomingMessage): string | undefined {
  const header = req.headers["x-forwarded-for"];
  const value = Array.isArray(header) ? header.at(-1) : header;
  return value?.split(",").at(-1)?.trim() || undefined;
}
