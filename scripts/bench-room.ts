// npm run bench:room [-- 50 200 500]: one room, N simulated students on loopback answering a
// round within a few hundred ms of each other. Prints answer-ack and broadcast latencies and the
// server's CPU and memory, and records the table in docs/BENCHMARKS.md. Bounded in time.
import { fork, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { io, type Socket } from "socket.io-client";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS } from "../lib/gan/config";
import { IMAGE_PIXELS } from "../lib/gan/dataset";
import { encodeSnapshot } from "../lib/gan/snapshot";
import { createGan, dispose } from "../lib/gan/train";
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type RoundStartedView,
  type ServerToClientEvents,
} from "../lib/protocol";
import { writeBenchSection } from "./bench/report";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const ROUND_ITEMS = 10;
const ANSWER_SPREAD_MS = 300;
const PHASE_TIMEOUT_MS = 120_000;

function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

function within<T>(p: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    p,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`timed out: ${what}`)), PHASE_TIMEOUT_MS),
    ),
  ]);
}

function request<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (msg: { type: string }) => {
      if (msg.type === type) {
        child.off("message", onMessage);
        resolve(msg as T);
      }
    };
    child.on("message", onMessage);
    child.send({ type });
  });
}

function connect(url: string): Promise<Client> {
  const socket: Client = io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

async function runOnce(n: number) {
  const dbUrl = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "stf-bench-")), "bench.db")}`;
  const child = fork(path.join(import.meta.dirname, "bench", "room-server.ts"), {
    // BENCH_CPU_PROF=<dir>: write a V8 CPU profile of the server child (open in Chrome DevTools).
    execArgv: [
      "--import",
      "tsx",
      ...(process.env.BENCH_CPU_PROF
        ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
        : []),
    ],
    env: { ...process.env, DATABASE_URL: dbUrl },
  });
  const { port } = await within(request<{ port: number }>(child, "ready"), "server start");
  const url = `http://127.0.0.1:${port}`;
  const sockets: Client[] = [];
  try {
    const host = await connect(url);
    sockets.push(host);
    const created = await host.emitWithAck("room:create", {
      protocolVersion: PROTOCOL_VERSION,
      settings: { roundSize: ROUND_ITEMS, roundSeconds: 30 },
    });
    if (!created.ok) throw new Error(created.code);
    const auth = { code: created.data.code, hostToken: created.data.hostToken };
    await tf.setBackend("cpu");
    const gan = createGan(PRESETS.tiny, 1);
    await host.emitWithAck("trainer:snapshot", {
      ...auth,
      step: 1,
      weights: encodeSnapshot(gan, 1),
    });
    dispose(gan);
    const fakes = new Uint8Array(64 * IMAGE_PIXELS).map((_, i) => (i * 7919) % 256);
    await host.emitWithAck("trainer:fakes", { ...auth, step: 1, images: fakes });

    const joinStart = performance.now();
    const students: Client[] = [];
    for (let i = 0; i < n; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, n - i) }, async (_, j) => {
          const s = await connect(url);
          // The nickname filter reads digits as letters ("455" → "ass"): try another name then.
          for (const nickname of [1, 7, 13].map((k) => `Student ${(i + j) * k}`)) {
            const res = await s.emitWithAck("room:join", {
              protocolVersion: PROTOCOL_VERSION,
              code: auth.code,
              nickname,
            });
            if (res.ok) return s;
            if (res.code !== "NICKNAME_REJECTED") throw new Error(`join failed: ${res.code}`);
          }
          throw new Error("join failed: every nickname rejected");
        }),
      );
      students.push(...batch);
    }
    sockets.push(...students);
    const joinMs = performance.now() - joinStart;
    // A student dropped by the server (e.g. a ping timeout on a busy server) is a lost student.
    let dropped = 0;
    for (const s of students) s.once("disconnect", () => dropped++);

    const mark = (name: string) => child.send({ type: "mark", name });
    const before = await request<{ cpu: NodeJS.CpuUsage }>(child, "stats");
    mark("round");
    const wallStart = performance.now();
    const benchCpuStart = process.cpuUsage();
    const startEmit = Date.now();
    const started = students.map(
      (s) =>
        new Promise<{ view: RoundStartedView; at: number }>((resolve) =>
          s.once("round:started", (view) => resolve({ view, at: Date.now() })),
        ),
    );
    const ack = await host.emitWithAck("host:start-round", auth);
    if (!ack.ok) throw new Error(`start failed: ${ack.code}`);
    const rounds = await within(Promise.all(started), "round:started delivery");
    const startDelivery = rounds.map((r) => r.at - startEmit);
    // Nobody answers before every student has the round: this is the start's own cost.
    const startedStats = await request<{ cpu: NodeJS.CpuUsage }>(child, "stats");
    const startCpuMs =
      (startedStats.cpu.user + startedStats.cpu.system - before.cpu.user - before.cpu.system) /
      1000;

    const ackLatencies: number[] = [];
    const ackByItem: number[][] = Array.from({ length: ROUND_ITEMS }, () => []);
    let accepted = 0;
    // Item by item, as a class plays: every student answers item k within ANSWER_SPREAD_MS of
    // the others, then the class moves on to item k + 1.
    for (let k = 0; k < ROUND_ITEMS; k++) {
      await within(
        Promise.all(
          students.map(async (s, i) => {
            const { view } = rounds[i]!;
            const item = view.items[k]!;
            await new Promise((r) => setTimeout(r, Math.random() * ANSWER_SPREAD_MS));
            const t0 = performance.now();
            // A student the server dropped gets no ack: counted (dropped), not fatal.
            const res = await s
              .emitWithAck("round:answer", {
                roundId: view.roundId,
                itemId: item.itemId,
                verdict: (i + k) % 2 ? "real" : "fake",
              })
              .catch(() => null);
            if (!res) return;
            ackLatencies.push(performance.now() - t0);
            ackByItem[k]!.push(performance.now() - t0);
            if (res.ok) accepted++;
          }),
        ),
        `answers to item ${k}`,
      );
    }

    mark("reveal");
    const answered = await request<{ cpu: NodeJS.CpuUsage }>(child, "stats");
    const revealEmit = Date.now();
    let revealBytes = 0;
    // Students the server dropped (see `dropped`) are not waited for.
    const revealed = students
      .filter((s) => s.connected)
      .map(
        (s, i) =>
          new Promise<number>((resolve) =>
            s.once("round:revealed", (view) => {
              const at = Date.now();
              if (i === 0) revealBytes = JSON.stringify(view).length;
              resolve(at);
            }),
          ),
      );
    await host.emitWithAck("host:reveal", auth);
    const revealDelivery = (await within(Promise.all(revealed), "reveal delivery")).map(
      (t) => t - revealEmit,
    );
    mark("end");
    const wallMs = performance.now() - wallStart;
    console.log(
      `  ack p99 by item: ${ackByItem.map((l) => quantile(l, 0.99).toFixed(0)).join(" ")} ms`,
    );
    const benchCpu = process.cpuUsage(benchCpuStart);
    const after = await request<{ cpu: NodeJS.CpuUsage; rss: number; maxStallMs: number }>(
      child,
      "stats",
    );
    const { answers: stored } = await request<{ answers: number }>(child, "count");
    const droppedDuringRun = dropped;
    const cpuMs = (after.cpu.user + after.cpu.system - before.cpu.user - before.cpu.system) / 1000;
    return {
      n,
      joinMs,
      answers: ackLatencies.length,
      accepted,
      stored,
      ackP50: quantile(ackLatencies, 0.5),
      ackP99: quantile(ackLatencies, 0.99),
      startP99: quantile(startDelivery, 0.99),
      revealP99: quantile(revealDelivery, 0.99),
      cpuShare: cpuMs / wallMs,
      // Server CPU per answer while the class answered (start, answers, acks; not the reveal).
      cpuPerAnswerUs:
        (answered.cpu.user +
          answered.cpu.system -
          startedStats.cpu.user -
          startedStats.cpu.system) /
        Math.max(1, ackLatencies.length),
      benchCpuShare: (benchCpu.user + benchCpu.system) / 1000 / wallMs,
      rssMb: after.rss / 1024 / 1024,
      dropped: droppedDuringRun,
      startCpuMs,
      revealCpuMs:
        (after.cpu.user + after.cpu.system - answered.cpu.user - answered.cpu.system) / 1000,
      maxStallMs: after.maxStallMs,
      revealKb: revealBytes / 1024,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    child.send({ type: "stop" });
    await new Promise((r) => child.once("exit", r));
  }
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0);
const results = [];
for (const n of sizes.length ? sizes : [50, 200, 500]) {
  console.log(`… ${n} students`);
  results.push(await runOnce(n));
}
const header =
  "| students | answers acked / stored | dropped | ack p50 | ack p99 | round:started p99 (server CPU) | reveal p99 (server CPU) | reveal per phone | server CPU per answer | server CPU (share of one core) | longest event-loop stall | bench clients' CPU | server RSS |";
const rows = results.map(
  (r) =>
    `| ${r.n} | ${r.accepted} / ${r.stored} | ${r.dropped} | ${r.ackP50.toFixed(1)} ms | ${r.ackP99.toFixed(1)} ms | ${r.startP99.toFixed(0)} ms (${r.startCpuMs.toFixed(0)} ms) | ${r.revealP99.toFixed(0)} ms (${r.revealCpuMs.toFixed(0)} ms) | ${r.revealKb.toFixed(1)} kB | ${r.cpuPerAnswerUs.toFixed(0)} µs | ${(r.cpuShare * 100).toFixed(0)} % | ${r.maxStallMs.toFixed(0)} ms | ${(r.benchCpuShare * 100).toFixed(0)} % | ${r.rssMb.toFixed(0)} MB |`,
);
const table = [header, `|${" --- |".repeat(13)}`, ...rows].join("\n");
console.log(table);
writeBenchSection(
  "room",
  "Classroom load (npm run bench:room)",
  `One room, N students on loopback (socket.io-client, one socket each), a ${ROUND_ITEMS}-item round, answered item by item: for each item, every student answers within ${ANSWER_SPREAD_MS} ms of the others, then the class moves to the next item; answers persisted to SQLite before each ack. The server runs in its own process (sockets, rooms, SQLite; no Next); the simulated students run in the benchmark's process, on the same 2 cores. Command: \`npm run bench:room -- ${results.map((r) => r.n).join(" ")}\` (add \`BENCH_CPU_PROF=<dir>\` for a CPU profile of the server).\n\nColumns: *dropped* = students the server disconnected mid-run (heartbeat false positives); *server CPU* in brackets = the server's CPU for the start (police + broadcast) and for the reveal; *server CPU per answer* = its CPU from the last round:started to the reveal, per answer; *longest event-loop stall* = the server's, during the round (the heartbeat drops sockets past 3.5 s). Latencies depend on what else the shared machine runs: compare the CPU columns across runs; docs/RELIABILITY.md ("Load") has the profile and the before/after.\n\n${table}`,
);
process.exit(0);
