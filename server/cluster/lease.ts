// Room ownership: a lease per join code in Redis. Exactly one process holds a room's lease and
// runs its state machine; it renews the lease every quarter of its lifetime. A process that dies
// stops renewing, the key expires, and the next process that needs the room acquires it and
// restores the room from the database.
//
// Fencing: every acquisition increments the room's epoch (a counter that never goes back), and the
// lease's value is "<node>|<epoch>". Renewal and release are compare-and-set on that exact value,
// so an owner whose lease expired and was taken over cannot extend or delete the new owner's
// lease. Locally, an owner considers its lease valid only until the time it *sent* its last
// successful acquire/renew plus 80 % of the lifetime, so it stops writing (server/rooms/runtime.ts
// refuses events) before Redis can hand the room to anyone else, even with its event loop stalled
// right after a renewal. Forwarded events carry the epoch they were routed to and are refused by
// an owner that holds another one.
import type { Logger } from "../logger";

/** The slice of a node-redis v5 client this module uses (tests can pass the real thing only). */
export interface RedisLike {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  get(key: string): Promise<string | null>;
}

export interface Lease {
  code: string;
  node: string;
  epoch: number;
  /** Local clock: the lease may be used until then. */
  validUntil: number;
  acquiredAt: number;
}

export interface Owner {
  node: string;
  epoch: number;
}

const ACQUIRE = `
local cur = redis.call('GET', KEYS[1])
if cur then return {0, cur} end
local epoch = redis.call('INCR', KEYS[2])
local value = ARGV[1] .. '|' .. epoch
redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
redis.call('PEXPIRE', KEYS[2], 604800000)
return {1, value}`;

const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

function parseOwner(value: string): Owner | null {
  const bar = value.lastIndexOf("|");
  if (bar <= 0) return null;
  const epoch = Number(value.slice(bar + 1));
  return Number.isInteger(epoch) ? { node: value.slice(0, bar), epoch } : null;
}

export interface LeaseManagerOptions {
  redis: RedisLike;
  nodeId: string;
  leaseMs: number;
  prefix: string;
  logger: Logger;
  clock?: () => number;
  /** Called once when a held lease is lost (taken over, expired, or Redis unreachable too long). */
  onLost(code: string): void;
  /** Whether a held room is still in use; idle leases are released after a grace period. */
  inUse(code: string): boolean;
}

export interface LeaseManager {
  /** This process holds a valid lease on the room. */
  owns(code: string): boolean;
  held(code: string): Lease | null;
  /** Takes the lease if nobody holds it; otherwise says who does. */
  acquire(code: string): Promise<{ lease: Lease } | { owner: Owner }>;
  /** Who holds the room now (null: nobody, the room is free to take). */
  owner(code: string): Promise<Owner | null>;
  release(code: string): Promise<void>;
  /** Leases held now (codes). */
  codes(): string[];
  close(): Promise<void>;
}

export function createLeaseManager(opts: LeaseManagerOptions): LeaseManager {
  const { redis, nodeId, leaseMs, prefix, logger } = opts;
  const clock = opts.clock ?? Date.now;
  const leases = new Map<string, Lease>();
  const key = (code: string) => `${prefix}:lease:${code}`;
  const epochKey = (code: string) => `${prefix}:epoch:${code}`;
  const valueOf = (l: Lease) => `${l.node}|${l.epoch}`;
  const safeFor = Math.floor(leaseMs * 0.8);
  /** Idle leases (no live room) are kept this long, so a room being loaded is not dropped. */
  const idleGraceMs = Math.max(10_000, 2 * leaseMs);

  function lose(code: string, why: string) {
    if (!leases.delete(code)) return;
    logger.warn({ room: code, why }, "room lease lost");
    opts.onLost(code);
  }

  let renewing = false;
  async function renewAll() {
    if (renewing) return;
    renewing = true;
    try {
      await Promise.all(
        [...leases.values()].map(async (lease) => {
          if (!opts.inUse(lease.code) && clock() - lease.acquiredAt > idleGraceMs) {
            await release(lease.code);
            return;
          }
          const sent = clock();
          try {
            const ok = await redis.eval(RENEW, {
              keys: [key(lease.code)],
              arguments: [valueOf(lease), String(leaseMs)],
            });
            if (leases.get(lease.code) !== lease) return;
            if (Number(ok) === 1) lease.validUntil = sent + safeFor;
            else lose(lease.code, "taken over");
          } catch (err) {
            logger.warn({ err, room: lease.code }, "lease renewal failed");
          }
          if (leases.get(lease.code) === lease && clock() >= lease.validUntil) {
            lose(lease.code, "expired");
          }
        }),
      );
    } finally {
      renewing = false;
    }
  }
  const timer = setInterval(() => void renewAll(), Math.max(250, Math.floor(leaseMs / 4)));
  timer.unref();

  async function release(code: string) {
    const lease = leases.get(code);
    if (!lease) return;
    leases.delete(code);
    await redis
      .eval(RELEASE, { keys: [key(code)], arguments: [valueOf(lease)] })
      .catch((err: unknown) => logger.warn({ err, room: code }, "lease release failed"));
  }

  return {
    owns(code) {
      const lease = leases.get(code);
      if (!lease) return false;
      if (clock() < lease.validUntil) return true;
      lose(code, "expired");
      return false;
    },
    held(code) {
      return leases.get(code) ?? null;
    },
    async acquire(code) {
      const mine = leases.get(code);
      if (mine && clock() < mine.validUntil) return { lease: mine };
      const sent = clock();
      const reply = (await redis.eval(ACQUIRE, {
        keys: [key(code), epochKey(code)],
        arguments: [nodeId, String(leaseMs)],
      })) as [number, string];
      const owner = parseOwner(String(reply[1]));
      if (!owner) throw new Error(`malformed lease value for room ${code}`);
      if (Number(reply[0]) === 1 || owner.node === nodeId) {
        const current = leases.get(code);
        // The key still holds an epoch of ours (e.g. after a slow renewal): keep using it.
        if (current && current.epoch === owner.epoch) {
          current.validUntil = Math.max(current.validUntil, sent + safeFor);
          return { lease: current };
        }
        if (Number(reply[0]) !== 1) return { owner }; // an older epoch of ours: let it expire
        const lease: Lease = {
          code,
          node: nodeId,
          epoch: owner.epoch,
          validUntil: sent + safeFor,
          acquiredAt: sent,
        };
        leases.set(code, lease);
        logger.info({ room: code, epoch: owner.epoch }, "room lease acquired");
        return { lease };
      }
      return { owner };
    },
    async owner(code) {
      const value = await redis.get(key(code));
      return value ? parseOwner(value) : null;
    },
    release,
    codes() {
      return [...leases.keys()];
    },
    async close() {
      clearInterval(timer);
      await Promise.all([...leases.keys()].map((code) => release(code)));
    },
  };
}
