// Room leases in a real redis-server: one owner at a time, epochs that only grow, and an owner
// cut off from Redis stops using its lease before Redis can give the room to anyone else.
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/server/logger";
import { createLeaseManager, type LeaseManager, type RedisLike } from "@/server/cluster/lease";
import { clusterConfigFromEnv, forwardedAddress } from "@/server/cluster/config";
import type { IncomingMessage } from "node:http";
import { findRedisServer, startRedisServer, type RedisServer } from "@/scripts/cluster";

const logger = createLogger("silent");
const bin = findRedisServer();
const title = bin
  ? "room leases in Redis"
  : "room leases in Redis — SKIPPED: no redis-server (apt-get install redis-server)";
if (!bin) console.warn(`cluster-lease.test.ts: ${title}`);

describe("cluster configuration", () => {
  it("is off without REDIS_URL and validated with it", () => {
    expect(clusterConfigFromEnv({})).toBeNull();
    const config = clusterConfigFromEnv({ REDIS_URL: "redis://127.0.0.1:6379", NODE_ID: "a-1" });
    expect(config).toEqual({
      redisUrl: "redis://127.0.0.1:6379",
      leaseMs: 5000,
      nodeId: "a-1",
      prefix: "stf",
      trustProxy: false,
    });
    expect(() => clusterConfigFromEnv({ REDIS_URL: "http://x" })).toThrow(/REDIS_URL/);
    expect(clusterConfigFromEnv({ REDIS_URL: "redis://x", TRUST_PROXY: "1" })?.trustProxy).toBe(
      true,
    );
    expect(() => clusterConfigFromEnv({ REDIS_URL: "redis://x", ROOM_LEASE_MS: "10" })).toThrow(
      /ROOM_LEASE_MS/,
    );
  });
});

describe("the client's address behind the trusted proxy", () => {
  it("is the last X-Forwarded-For entry (the one the proxy appended), not one a client made up", () => {
    const req = (xff?: string | string[]) =>
      ({ headers: { "x-forwarded-for": xff } }) as unknown as IncomingMessage;
    expect(forwardedAddress(req("10.0.0.7"))).toBe("10.0.0.7");
    expect(forwardedAddress(req("1.2.3.4, 10.0.0.7"))).toBe("10.0.0.7");
    expect(forwardedAddress(req(["1.2.3.4", "10.0.0.8"]))).toBe("10.0.0.8");
    expect(forwardedAddress(req())).toBeUndefined();
  });
});

describe.skipIf(!bin)(title, () => {
  let server: RedisServer;
  let client: ReturnType<typeof createClient>;
  const managers: LeaseManager[] = [];

  beforeAll(async () => {
    server = await startRedisServer();
    client = createClient({ url: server.url });
    await client.connect();
  }, 30_000);

  afterAll(async () => {
    for (const m of managers) await m.close();
    await client?.quit();
    await server?.stop();
  });

  function manager(nodeId: string, redis: RedisLike, lost: string[] = []) {
    const m = createLeaseManager({
      redis,
      nodeId,
      leaseMs: 2000,
      prefix: `t${managers.length}`,
      logger,
      onLost: (code) => lost.push(code),
      inUse: () => true,
    });
    managers.push(m);
    return m;
  }

  it("gives a room to one process; the other learns who owns it", async () => {
    const redis = client as unknown as RedisLike;
    const a = manager("A", redis);
    const b = createLeaseManager({
      redis,
      nodeId: "B",
      leaseMs: 2000,
      prefix: "t0",
      logger,
      onLost: () => undefined,
      inUse: () => true,
    });
    managers.push(b);
    const [ra, rb] = await Promise.all([a.acquire("ROOM1"), b.acquire("ROOM1")]);
    const winners = [ra, rb].filter((r) => "lease" in r);
    expect(winners).toHaveLength(1);
    const loser = "owner" in ra ? ra : rb;
    expect("owner" in loser && loser.owner.epoch).toBe(1);
    expect(a.owns("ROOM1") !== b.owns("ROOM1")).toBe(true);
    // Renewal keeps it well past one lease period.
    await new Promise((r) => setTimeout(r, 4500));
    expect(a.owns("ROOM1") !== b.owns("ROOM1")).toBe(true);
    expect((await b.owner("ROOM1"))?.epoch).toBe(1);
  });

  it("fences an owner cut off from Redis: it stops before the key expires, and the next owner gets a higher epoch", async () => {
    let partitioned = false;
    const flaky: RedisLike = {
      eval: (script, options) =>
        partitioned ? Promise.reject(new Error("partitioned")) : client.eval(script, options),
      get: (key) => (partitioned ? Promise.reject(new Error("partitioned")) : client.get(key)),
    };
    const lostByA: string[] = [];
    const a = createLeaseManager({
      redis: flaky,
      nodeId: "A",
      leaseMs: 1000,
      prefix: "fence",
      logger,
      onLost: (code) => lostByA.push(code),
      inUse: () => true,
    });
    const b = createLeaseManager({
      redis: client as unknown as RedisLike,
      nodeId: "B",
      leaseMs: 1000,
      prefix: "fence",
      logger,
      onLost: () => undefined,
      inUse: () => true,
    });
    managers.push(a, b);
    const first = await a.acquire("ROOM2");
    if (!("lease" in first)) throw new Error("A should own a free room");
    partitioned = true;
    // A stops considering itself the owner while the key still exists in Redis.
    let aStoppedAt = 0;
    let keyGoneAt = 0;
    const start = Date.now();
    while (Date.now() - start < 3000 && (!aStoppedAt || !keyGoneAt)) {
      if (!aStoppedAt && !a.owns("ROOM2")) aStoppedAt = Date.now();
      if (!keyGoneAt && (await client.get("fence:lease:ROOM2")) === null) keyGoneAt = Date.now();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(aStoppedAt).toBeGreaterThan(0);
    expect(keyGoneAt).toBeGreaterThan(0);
    // A's own deadline passed before Redis let the key go (polling may see both at once).
    expect(first.lease.validUntil).toBeLessThan(keyGoneAt);
    expect(aStoppedAt).toBeGreaterThanOrEqual(first.lease.validUntil);
    expect(aStoppedAt).toBeLessThanOrEqual(keyGoneAt);
    expect(lostByA).toEqual(["ROOM2"]);

    const second = await b.acquire("ROOM2");
    if (!("lease" in second)) throw new Error("B should take the expired room");
    expect(second.lease.epoch).toBe(first.lease.epoch + 1);
    // A is back: it cannot reclaim the room, it learns B's epoch.
    partitioned = false;
    const again = await a.acquire("ROOM2");
    expect(again).toEqual({ owner: { node: "B", epoch: second.lease.epoch } });
    expect(a.owns("ROOM2")).toBe(false);
  });

  it("hands a room back at once on a clean shutdown", async () => {
    const a = manager("A", client as unknown as RedisLike);
    const got = await a.acquire("ROOM3");
    expect("lease" in got).toBe(true);
    await a.close();
    expect(await client.get(`t${managers.length - 1}:lease:ROOM3`)).toBeNull();
  });
});
