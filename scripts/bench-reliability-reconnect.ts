// npm run bench:reconnect [-- STUDENTS CYCLES]: the reconnect trial of
// scripts/bench/fault-reconnect.ts against the game server in its own process, with ≥ 400
// reconnect events by default (25 students × 20 cycles: network drops through a node:net proxy,
// every 4th cycle a page reload). Prints the figures and records them in docs/RELIABILITY.md and
// docs/BENCHMARKS.md. Bounded: every wait has a timeout.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServerProcess } from "./bench/fault-process";
import { reconnectSummary, reconnectTrial } from "./bench/fault-reconnect";
import { quantile } from "./bench/fault-room";
import { writeReliabilitySection } from "./bench/fault-report";
import { writeBenchSection } from "./bench/report";

const students = Number(process.argv[2] ?? 25);
const cycles = Number(process.argv[3] ?? 20);
const dbUrl = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "stf-reconnect-")), "r.db")}`;
const server = await startServerProcess(dbUrl);
const started = performance.now();
try {
  const report = await reconnectTrial({
    serverPort: server.port,
    students,
    cycles,
    reloadEvery: 4,
    log: (l) => console.log(l),
  });
  const p95 = quantile(report.backMs, 0.95);
  const ok =
    report.seatLost === 0 &&
    report.scoreChanged === 0 &&
    report.answersMissing === 0 &&
    report.events >= 400 &&
    p95 <= 2_000;
  const body = [
    "Command: `npm run bench:reconnect` (scripts/bench-reliability-reconnect.ts). The game server",
    "runs in its own process (scripts/bench/fault-server.ts); students connect through a node:net",
    "proxy (scripts/bench/fault-proxy.ts) with the browser app's socket.io settings (reconnection",
    "delay 500 ms ± 50 %, max 4 s) and re-join with their seat token on every reconnect. Each cycle",
    "everyone answers one item (acknowledged), then every connection is reset at once (a Wi-Fi drop)",
    "or, every 4th cycle, every page reloads (a new socket with the stored token).",
    "",
    ...reconnectSummary(report).map((l) => `- ${l}`),
    `- goal: ≥ 400 events, nothing lost, back within 2 s p95 → ${ok ? "met" : "NOT met"}`,
    `- wall time: ${Math.round((performance.now() - started) / 1000)} s`,
  ].join("\n");
  console.log(`\n${body}`);
  writeReliabilitySection("reconnect", "Reloads and network drops", body);
  writeBenchSection("reliability-reconnect", "Reliability: reloads and network drops", body);
  if (!ok) process.exitCode = 1;
} finally {
  await server.stop();
}
