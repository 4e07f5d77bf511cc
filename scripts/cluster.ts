// npm run cluster [-- --nodes 3 --port 3000 --game-only]: Spot the Fake as several processes on
// this machine, the way it runs on many: redis-server and PostgreSQL from Debian's packages
// (throw-away, in temp folders), N app processes on loopback ports (REDIS_URL + DATABASE_URL set),
// and a small Node proxy (http-proxy-3) on one port in front of them. Ctrl-C stops everything.
//
// --game-only runs scripts/bench/cluster-node.ts (sockets and rooms, no Next pages) instead of the
// app: what the cluster tests and `npm run bench:cluster` use, and it needs no `next build`.
// The functions are exported for those tests and the benchmark.
import { fork, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { startProxy, type RunningProxy } from "../server/cluster/proxy";
import { createLogger } from "../server/logger";
import { migrateDatabase } from "../server/migrate";
import { startPostgresCluster, type PostgresCluster } from "./postgres-cluster";

const root = path.resolve(import.meta.dirname, "..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** redis-server from Debian's package (REDIS_SERVER overrides the path), or null. */
export function findRedisServer(): string | null {
  const candidates = [
    process.env.REDIS_SERVER,
    "/usr/bin/redis-server",
    "/usr/local/bin/redis-server",
  ];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? null;
}

export interface RedisServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** A throw-away redis-server on a free loopback port: no persistence, deleted when stopped. */
export async function startRedisServer(): Promise<RedisServer> {
  const bin = findRedisServer();
  if (!bin) throw new Error("No redis-server found (apt-get install redis-server)");
  const dir = mkdtempSync(path.join(tmpdir(), "stf-redis-"));
  const port = await freePort();
  const child = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = createClient({ url, socket: { reconnectStrategy: false } });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      await probe.quit();
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`redis-server did not start:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopSync);
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  };
  process.on("exit", stopSync);
  return {
    url,
    port,
    async stop() {
      stopSync();
      await exited;
    },
  };
}

export interface AppProcess {
  name: string;
  child: ChildProcess;
  port: number;
  url: string;
  nodeId: string;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** Graceful stop (SIGTERM / "stop"), SIGKILL after a few seconds. */
  stop(): Promise<void>;
  /** CPU, memory and routing counters (game-only processes). */
  stats(): Promise<NodeStats>;
  /** A room read as the HTTP routes make it, through this process (game-only processes). */
  read(
    method: "latestSnapshot" | "forgeSnapshot",
    code: string,
    token: string,
  ): Promise<{ step: number; weights: Uint8Array } | null>;
}

export interface NodeStats {
  cpu: NodeJS.CpuUsage;
  rss: number;
  router?: { local: number; forwarded: number; takeovers: number };
  leases: string[];
  sockets: number;
}

export interface StartNodeOptions {
  name: string;
  databaseUrl: string;
  /** Unset: a plain single process (no cluster mode), for comparison. */
  redisUrl?: string;
  port?: number;
  gameOnly?: boolean;
  leaseMs?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited (${child.exitCode})`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not start in time`);
}

let reads = 0;

export async function startNode(opts: StartNodeOptions): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  const nodeId = opts.name;
  const inherited = { ...process.env };
  delete inherited.REDIS_URL;
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    ...opts.env,
    DATABASE_URL: opts.databaseUrl,
    ...(opts.redisUrl && { REDIS_URL: opts.redisUrl }),
    NODE_ID: nodeId,
    PORT: String(port),
    HOST: "127.0.0.1",
    // Behind this script's proxy, which appends the client's address to X-Forwarded-For.
    TRUST_PROXY: "1",
    ...(opts.leaseMs && { ROOM_LEASE_MS: String(opts.leaseMs) }),
  };
  const timeoutMs = opts.timeoutMs ?? 120_000;
  let child: ChildProcess;
  if (opts.gameOnly) {
    child = fork(path.join(root, "scripts", "bench", "cluster-node.ts"), {
      execArgv: ["--import", "tsx"],
      cwd: root,
      env: { LOG_LEVEL: "error", MIGRATE: "0", ...env },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${nodeId} did not start`)), timeoutMs);
      child.once("exit", (code) => reject(new Error(`${nodeId} exited with ${code}`)));
      child.on("message", (msg: { type: string }) => {
        if (msg.type === "ready") {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } else {
    child = spawn(process.execPath, ["--import", "tsx", path.join(root, "server", "index.ts")], {
      cwd: root,
      env: { ...env, NODE_ENV: "production" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    await waitForHttp(`http://127.0.0.1:${port}/`, child, timeoutMs);
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return {
    name: opts.name,
    child,
    port,
    url: `http://127.0.0.1:${port}`,
    nodeId,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      if (child.connected) child.send({ type: "stop" });
      else child.kill("SIGTERM");
      const force = setTimeout(() => child.kill("SIGKILL"), 8000);
      await exited;
      clearTimeout(force);
    },
    stats() {
      return new Promise((resolve) => {
        const onMessage = (msg: { type: string } & NodeStats) => {
          if (msg.type !== "stats") return;
          child.off("message", onMessage);
          resolve(msg);
        };
        child.on("message", onMessage);
        child.send({ type: "stats" });
      });
    },
    read(method, code, token) {
      const id = ++reads;
      return new Promise((resolve, reject) => {
        type Reply = {
          type: string;
          id: number;
          result?: { step: number; weights: string } | null;
          error?: string;
        };
        const onMessage = (msg: Reply) => {
          if (msg.type !== "read" || msg.id !== id) return;
          child.off("message", onMessage);
          if (msg.error) return reject(new Error(msg.error));
          const r = msg.result;
          resolve(
            r ? { step: r.step, weights: new Uint8Array(Buffer.from(r.weights, "base64")) } : null,
          );
        };
        child.on("message", onMessage);
        child.send({ type: "read", id, method, code, token });
      });
    },
  };
}

export interface LocalCluster {
  redis: RedisServer;
  postgres: PostgresCluster;
  nodes: AppProcess[];
  proxy: RunningProxy;
  /** Starts one more app process (e.g. to replace a killed one); the proxy does not learn it. */
  addNode(name: string): Promise<AppProcess>;
  stop(): Promise<void>;
}

export async function startLocalCluster(opts: {
  nodes: number;
  gameOnly?: boolean;
  proxyPort?: number;
  basePort?: number;
  leaseMs?: number;
  log?: (message: string) => void;
}): Promise<LocalCluster> {
  const log = opts.log ?? (() => undefined);
  const [redis, postgres] = await Promise.all([startRedisServer(), startPostgresCluster()]);
  log(`redis-server: ${redis.url}`);
  log(`PostgreSQL:   ${postgres.url}`);
  const nodes: AppProcess[] = [];
  let proxy: RunningProxy | null = null;
  const stop = async () => {
    await proxy?.close();
    await Promise.all(nodes.map((n) => n.stop()));
    await redis.stop();
    await postgres.stop();
  };
  try {
    // Migrated once here; each app process still runs `migrate deploy` at start (a no-op then).
    await migrateDatabase(postgres.url, createLogger("warn"));
    const ports = await Promise.all(
      Array.from({ length: opts.nodes }, (_, i) =>
        opts.basePort ? Promise.resolve(opts.basePort + i) : freePort(),
      ),
    );
    const add = (name: string, port?: number) =>
      startNode({
        name,
        port,
        databaseUrl: postgres.url,
        redisUrl: redis.url,
        gameOnly: opts.gameOnly,
        leaseMs: opts.leaseMs,
      });
    nodes.push(...(await Promise.all(ports.map((port, i) => add(`node-${i + 1}`, port)))));
    for (const n of nodes) log(`${n.name}:       ${n.url} (pid ${n.child.pid})`);
    proxy = await startProxy({
      backends: nodes.map((n) => n.url),
      port: opts.proxyPort ?? 0,
      log,
    });
    return {
      redis,
      postgres,
      nodes,
      proxy,
      async addNode(name) {
        const node = await add(name);
        nodes.push(node);
        return node;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function main(argv: string[]): Promise<void> {
  const arg = (name: string, fallback: number) => {
    const i = argv.indexOf(`--${name}`);
    const value = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} takes a whole number`);
    return value;
  };
  const gameOnly = argv.includes("--game-only");
  const nodes = arg("nodes", 2);
  const port = arg("port", Number(process.env.PORT ?? 3000));
  if (!gameOnly && !existsSync(path.join(root, ".next", "BUILD_ID"))) {
    throw new Error("No production build: run `npm run build` first (npm run cluster does).");
  }
  const cluster = await startLocalCluster({
    nodes,
    gameOnly,
    proxyPort: port,
    basePort: port + 100,
    log: (m) => console.log(m),
  });
  console.log(
    `\nSpot the Fake: ${nodes} processes behind http://localhost:${cluster.proxy.port} (Ctrl-C stops everything)`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
  console.log("stopping…");
  await cluster.stop();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
