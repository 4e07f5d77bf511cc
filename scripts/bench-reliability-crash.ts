// npm run bench:crash [-- KILLS STUDENTS]: the crash trial of scripts/bench/fault-crash.ts with
// 20 SIGKILLs by default. Prints the figures and records them in docs/RELIABILITY.md and
// docs/BENCHMARKS.md. Bounded: each kill is one round of at most a few seconds plus a restart.
import { crashSummary, crashTrial } from "./bench/fault-crash";
import { writeReliabilitySection } from "./bench/fault-report";
import { writeBenchSection } from "./bench/report";

const kills = Number(process.argv[2] ?? 20);
const students = Number(process.argv[3] ?? 20);
const started = performance.now();
const report = await crashTrial({ kills, students, seed: 20_260_101, log: (l) => console.log(l) });
const lines = crashSummary(report);
const ok =
  report.lost.length === 0 &&
  report.persisted === report.acked &&
  report.integrityFailures.length === 0 &&
  report.resumeMismatches === 0;
const body = [
  "Command: `npm run bench:crash` (scripts/bench-reliability-crash.ts). The game server runs as a",
  "child process (scripts/bench/fault-server.ts, SQLite in WAL mode, synchronous=NORMAL); students",
  "answer on loopback; the server gets SIGKILL at a random moment of the round, the database file",
  "is opened as it lies on disk and checked, then the server restarts on the same port and file and",
  "everyone returns with their seat token.",
  "",
  ...lines.map((l) => `- ${l}`),
  `- verdict: ${ok ? "every acknowledged answer survived every kill; the file was sound each time" : "FAILED: see lost/integrity above"}`,
  `- wall time: ${Math.round((performance.now() - started) / 1000)} s`,
].join("\n");
console.log(`\n${body}`);
writeReliabilitySection("crash", "Crash: kill -9 during rounds", body);
writeBenchSection("reliability-crash", "Reliability: kill -9 during rounds", body);
if (!ok) {
  console.error(report.lost.slice(0, 20), report.integrityFailures);
  process.exitCode = 1;
}
