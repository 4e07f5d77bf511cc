// npm run bench:cluster [-- --quick]: one game process vs two on this machine, on one redis-server
// and one PostgreSQL (Debian's, throw-away). For each: the largest single room, and the most
// sockets in many 100-student rooms, at which answer-ack p99 stays ≤ 100 ms (sizes grow until it
// does not); then the take-over time after kill -9 of a room's process mid-round. Writes its
// section of docs/BENCHMARKS.md. Bounded: each step times out after 3 minutes.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { createClient } from "redis";
import { createLogger } from "../server/logger";
import { migrateDatabase } from "../server/migrate";
import { startNode, startRedisServer, type AppProcess, type NodeStats } from "./cluster";
import {
  closeRoom,
  openRoom,
  playRounds,
  quantile,
  within,
  type Room,
  type RoundResult,
} from "./bench/cluster-load";
import type { RoundStartedView } from "../lib/protocol";
import {
  configs,
  P99_STOP_MS,
  renderClusterSection,
  ROOM_SIZE,
  type ClusterResults,
  type Config,
  type Row,
} from "./bench/cluster-report";
import { writeBenchSection } from "./bench/report";
import { startPostgresCluster } from "./postgres-cluster";

const quick = process.argv.includes("--quick");
// --report: renders docs/BENCHMARKS.md's section again from the last run's figures.
const resultsFile = path.join(import.meta.dirname, "..", "tmp", "bench-cluster.json");
if (process.argv.includes("--report")) {
  const saved = JSON.parse(readFileSync(resultsFile, "utf8")) as ClusterResults;
  writeBenchSection(
    "cluster",
    "Several processes (npm run bench:cluster)",
    renderClusterSection(saved),
  );
  process.exit(0);
}
/** Rounds per step; the step's p99 is the median of their p99s (the machine is shared: one
 * round can be hit by another job's burst). */
const ROUNDS = quick ? 1 : 3;
const singleRoomLadder = quick ? [100, 300] : [100, 250, 500, 1000, 1500, 2000];
const manyRoomsLadder = quick ? [200, 400] : [500, 1000, 2000, 3000, 4000, 5000];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (a: NodeStats, b: NodeStats) =>
  (b.cpu.user + b.cpu.system - a.cpu.user - a.cpu.system) / 1000;

const redis = await startRedisServer();
const postgres = await startPostgresCluster();
await migrateDatabase(postgres.url, createLogger("warn"));
const redisClient = createClient({ url: redis.url });
await redisClient.connect();
const sql = new pg.Client({ connectionString: postgres.url });
await sql.connect();

async function redisCpuMs(): Promise<number> {
  const info = await redisClient.info("cpu");
  const get = (k: string) => Number(new RegExp(`${k}:([0-9.]+)`).exec(info)?.[1] ?? 0);
  return (get("used_cpu_user") + get("used_cpu_sys")) * 1000;
}

async function startNodes(procs: number, tag: string, single = false): Promise<AppProcess[]> {
  const sqlite = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "stf-bench-")), "bench.db")}`;
  return Promise.all(
    Array.from({ length: procs }, (_, i) =>
      startNode({
        name: `${tag}-${i + 1}`,
        gameOnly: true,
        databaseUrl: single ? sqlite : postgres.url,
        redisUrl: single ? undefined : redis.url,
        env: single ? { MIGRATE: "1" } : {},
      }),
    ),
  );
}

async function measure(
  config: Config,
  nodes: AppProcess[],
  open: () => Promise<Room[]>,
): Promise<Row> {
  const rooms: Room[] = [];
  const base = {
    config: config.label,
    procs: config.procs,
    rooms: 0,
    students: 0,
    socketsPerProc: "",
    answers: 0,
    accepted: 0,
  };
  try {
    rooms.push(...(await within(open(), "joining")));
    const students = rooms.reduce((s, r) => s + r.students.length, 0);
    const before = await Promise.all(nodes.map((n) => n.stats()));
    const redisBefore = await redisCpuMs();
    load.push(os.loadavg()[0]!);
    const results: RoundResult[] = [];
    for (let i = 0; i < ROUNDS; i++) results.push(await playRounds(rooms));
    const all = <K extends "ackMs" | "startMs" | "revealMs">(k: K) => results.flatMap((r) => r[k]);
    const median = (xs: number[]) => quantile(xs, 0.5);
    const result = {
      answers: results.reduce((n, r) => n + r.answers, 0),
      accepted: results.reduce((n, r) => n + r.accepted, 0),
      wallMs: results.reduce((n, r) => n + r.wallMs, 0),
      ackP99: median(results.map((r) => quantile(r.ackMs, 0.99))),
      startP99: median(results.map((r) => quantile(r.startMs, 0.99))),
      revealP99: median(results.map((r) => quantile(r.revealMs, 0.99))),
    };
    const after = await Promise.all(nodes.map((n) => n.stats()));
    const redisAfter = await redisCpuMs();
    return {
      ...base,
      rooms: rooms.length,
      students,
      socketsPerProc: after.map((s) => s.sockets).join(" + "),
      answers: result.answers,
      accepted: result.accepted,
      ackP50: quantile(all("ackMs"), 0.5),
      ackP99: result.ackP99,
      startP99: result.startP99,
      revealP99: result.revealP99,
      cpu: before
        .map((b, i) => `${((cpuMs(b, after[i]!) / result.wallMs) * 100).toFixed(0)} %`)
        .join(" + "),
      redisCpu: (redisAfter - redisBefore) / result.wallMs,
      cpuPerAnswer:
        before.reduce((sum, b, i) => sum + cpuMs(b, after[i]!), 0) / Math.max(1, result.answers),
      rss: after.map((s) => `${(s.rss / 2 ** 20).toFixed(0)}`).join(" + ") + " MB",
      forwarded: after.reduce(
        (sum, s, i) => sum + (s.router?.forwarded ?? 0) - (before[i]!.router?.forwarded ?? 0),
        0,
      ),
    };
  } catch (err) {
    return {
      ...base,
      rooms: rooms.length,
      students: rooms.reduce((s, r) => s + r.students.length, 0),
      ackP50: NaN,
      ackP99: NaN,
      startP99: NaN,
      revealP99: NaN,
      cpu: "",
      redisCpu: NaN,
      cpuPerAnswer: NaN,
      rss: "",
      forwarded: 0,
      error: (err as Error).message,
    };
  } finally {
    for (const r of rooms) closeRoom(r);
    await sleep(1000);
  }
}

const rows: { kind: "room" | "rooms"; row: Row }[] = [];
const load: number[] = [];
for (const config of configs) {
  const { procs } = config;
  const nodes = await startNodes(procs, `p${procs}`, config.single);
  const studentAt = (shift: number) => (i: number) => {
    const node = (i + shift) % procs;
    return { url: nodes[node]!.url, node };
  };
  for (const n of singleRoomLadder) {
    console.log(`… ${config.label}: one room of ${n}`);
    const row = await measure(config, nodes, async () => [
      await openRoom(nodes[0]!.url, studentAt(1), n),
    ]);
    rows.push({ kind: "room", row });
    console.log(row);
    if (row.error || !(row.ackP99 <= P99_STOP_MS)) break;
  }
  for (const total of manyRoomsLadder) {
    const count = Math.round(total / ROOM_SIZE);
    console.log(`… ${config.label}: ${count} rooms of ${ROOM_SIZE}`);
    const row = await measure(config, nodes, async () => {
      const rooms: Room[] = [];
      // Hosts alternate between processes; each room's students are spread over all of them,
      // as a round-robin proxy spreads them.
      for (let r = 0; r < count; r += 5) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(5, count - r) }, (_, j) =>
            openRoom(nodes[(r + j) % procs]!.url, studentAt(r + j + 1), ROOM_SIZE, {
              offset: (r + j) * ROOM_SIZE,
            }),
          ),
        );
        rooms.push(...batch);
      }
      return rooms;
    });
    rows.push({ kind: "rooms", row });
    console.log(row);
    if (row.error || !(row.ackP99 <= P99_STOP_MS)) break;
  }
  await Promise.all(nodes.map((n) => n.stop()));
}

// Take-over: a 100-student room on A (half the students on A, half on B); after everyone answered
// the first item, A is killed; B's students answer the second item (their first attempts wait
// for A's lease to expire). Measured: kill → first and last acknowledged answer on B.
async function takeover() {
  const [a, b] = (await startNodes(2, "takeover")) as [AppProcess, AppProcess];
  const room = await openRoom(a.url, (i) => ({ url: i % 2 ? b.url : a.url, node: i % 2 }), 100, {
    roundSeconds: 120,
  });
  try {
    const started = room.students.map(
      (s) => new Promise<RoundStartedView>((resolve) => s.socket.once("round:started", resolve)),
    );
    const ack = await room.host.emitWithAck("host:start-round", room.auth);
    if (!ack.ok) throw new Error(ack.code);
    const views = await within(Promise.all(started), "round:started");
    const answer = (i: number, k: number) =>
      room.students[i]!.socket.emitWithAck("round:answer", {
        roundId: views[i]!.roundId,
        itemId: views[i]!.items[k]!.itemId,
        verdict: k % 2 ? "real" : "fake",
      });
    const first = await Promise.all(room.students.map((_, i) => answer(i, 0)));
    const ackedBefore = first.filter((r) => r.ok).length;
    const { rows: before } = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM "Answer" a JOIN "Player" p ON p."id" = a."playerId"
       JOIN "Room" r ON r."id" = p."roomId" WHERE r."code" = $1`,
      [room.code],
    );
    await a.kill9();
    const killedAt = performance.now();
    const onB = room.students.map((s, i) => ({ s, i })).filter(({ s }) => s.node === 1);
    const done = await within(
      Promise.all(
        onB.map(async ({ i }) => {
          const res = await answer(i, 1);
          return { ok: res.ok, at: performance.now() - killedAt };
        }),
      ),
      "answers after the kill",
    );
    const ok = done.filter((d) => d.ok);
    const { rows: after } = await sql.query<{ n: string }>(
      `SELECT count(*) AS n FROM "Answer" a JOIN "Player" p ON p."id" = a."playerId"
       JOIN "Room" r ON r."id" = p."roomId" WHERE r."code" = $1`,
      [room.code],
    );
    return {
      ackedBefore,
      storedBefore: Number(before[0]!.n),
      after: ok.length,
      of: onB.length,
      storedAfter: Number(after[0]!.n),
      firstMs: Math.min(...ok.map((d) => d.at)),
      lastMs: Math.max(...ok.map((d) => d.at)),
    };
  } finally {
    closeRoom(room);
    await Promise.all([a.stop(), b.stop()]);
  }
}
console.log("… take-over after kill -9");
const take = await takeover();
console.log(take);

await redisClient.quit();
await sql.end();
await redis.stop();
await postgres.stop();

const results: ClusterResults = { rows, take, rounds: ROUNDS, quick, load };
mkdirSync(path.join(import.meta.dirname, "..", "tmp"), { recursive: true });
writeFileSync(resultsFile, JSON.stringify(results, null, 2));
const body = renderClusterSection(results);
writeBenchSection("cluster", "Several processes (npm run bench:cluster)", body);
console.log(body);
process.exit(0);
