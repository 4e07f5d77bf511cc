// Crash trial: a room of students answering while the server process is killed with SIGKILL
// mid-round, again and again. After each kill the database file is checked as it lies on disk
// (PRAGMA integrity_check, every acknowledged answer present), then the server restarts on the
// same port and database, the host and every student come back with their tokens, and the round
// resumes (or is revealed and the next one starts).
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RoundStartedView, Verdict } from "../../lib/protocol";
import { inspectDatabase, startServerProcess, type ServerProcess } from "./fault-process";
import {
  connectClient,
  joinRoom,
  nextMessage,
  openRoom,
  quantile,
  sleep,
  type Client,
  type HostAuth,
  type Student,
} from "./fault-room";

export interface CrashOptions {
  kills: number;
  students: number;
  /** Deterministic schedule: kill delays and answer gaps come from this seed. */
  seed?: number;
  log?: (line: string) => void;
}

export interface CrashReport {
  kills: number;
  students: number;
  acked: number;
  /** Acknowledged answers found in the database after the kill that followed them. */
  persisted: number;
  lost: string[];
  integrityFailures: string[];
  /** Acknowledged answers missing from a student's round:resume after the restart. */
  resumeMismatches: number;
  roundsStarted: number;
  roundsRevealed: number;
  restartMs: number[];
  rejoinMs: number[];
}

function lcg(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const verdictOf = (i: number, k: number): Verdict => ((i * 7 + k) % 3 ? "real" : "fake");

export async function crashTrial(opts: CrashOptions): Promise<CrashReport> {
  const log = opts.log ?? (() => undefined);
  const rand = lcg(opts.seed ?? 20_260_101);
  const dir = mkdtempSync(path.join(os.tmpdir(), "stf-crash-"));
  const dbUrl = `file:${path.join(dir, "crash.db")}`;
  const report: CrashReport = {
    kills: 0,
    students: opts.students,
    acked: 0,
    persisted: 0,
    lost: [],
    integrityFailures: [],
    resumeMismatches: 0,
    roundsStarted: 0,
    roundsRevealed: 0,
    restartMs: [],
    rejoinMs: [],
  };
  const acked = new Set<string>(); // itemId:playerId:verdict
  let server: ServerProcess = await startServerProcess(dbUrl);
  const port = server.port;
  const open: Client[] = [];
  const connect = async () => {
    const s = await connectClient(server.url);
    open.push(s);
    return s;
  };

  try {
    let host = await connect();
    const auth: HostAuth = await openRoom(host, { roundSize: 10, roundSeconds: 120 });
    let students: Student[] = [];
    for (let i = 0; i < opts.students; i++)
      students.push(await joinRoom(await connect(), auth.code, `Student ${i}`));
    let views: (RoundStartedView | null)[] = students.map(() => null);
    let status = "lobby";

    for (let kill = 1; kill <= opts.kills; kill++) {
      if (status !== "round") {
        const started = students.map((s) => nextMessage(s.socket, "round:started"));
        const ack = await host.emitWithAck("host:start-round", auth);
        if (!ack.ok) throw new Error(`start-round failed: ${ack.code}`);
        views = await Promise.all(started);
        report.roundsStarted++;
      }
      // Everyone answers what they have not answered yet, with small gaps, until the kill.
      const gaps = students.map(() => Array.from({ length: 10 }, () => 20 + rand() * 100));
      let killed = false;
      const answering = students.map(async (s, i) => {
        const view = views[i]!;
        for (const [k, item] of view.items.entries()) {
          await sleep(gaps[i]![k]!);
          if (killed || !s.socket.connected) return;
          const verdict = verdictOf(i, k);
          const key = `${item.itemId}:${s.playerId}:${verdict}`;
          if (acked.has(key)) continue;
          try {
            const res = await s.socket
              .timeout(5_000)
              .emitWithAck("round:answer", { roundId: view.roundId, itemId: item.itemId, verdict });
            if (res.ok) acked.add(key);
          } catch {
            return; // the server is gone
          }
        }
      });
      await sleep(150 + rand() * 900);
      await server.kill9();
      killed = true;
      report.kills++;
      await Promise.all(answering);
      for (const s of open.splice(0)) s.close();

      const disk = inspectDatabase(dbUrl);
      if (disk.integrity !== "ok") report.integrityFailures.push(`kill ${kill}: ${disk.integrity}`);
      for (const key of acked) if (!disk.answers.has(key)) report.lost.push(`kill ${kill}: ${key}`);
      log(
        `kill ${kill}: ${acked.size} acknowledged so far, ${disk.answers.size} rows, integrity ${disk.integrity}`,
      );

      const t0 = performance.now();
      server = await startServerProcess(dbUrl, port);
      report.restartMs.push(performance.now() - t0);

      host = await connect();
      const resumed = await host.emitWithAck("host:resume", { protocolVersion: 1, ...auth });
      if (!resumed.ok) throw new Error(`host:resume failed: ${resumed.code}`);
      status = resumed.data.status;
      const inRound = status === "round";
      students = await Promise.all(
        students.map(async (s, i) => {
          const t1 = performance.now();
          const socket = await connect();
          const resume = inRound ? nextMessage(socket, "round:resume") : null;
          const back = await joinRoom(socket, auth.code, s.nickname, s.seatToken);
          if (back.playerId !== s.playerId) throw new Error("a seat came back as another player");
          if (resume) {
            const view = await resume;
            report.rejoinMs.push(performance.now() - t1);
            const answered = new Set(
              view.answered.map((a) => `${a.itemId}:${s.playerId}:${a.verdict}`),
            );
            for (const item of view.items)
              for (const v of ["real", "fake"])
                if (
                  acked.has(`${item.itemId}:${s.playerId}:${v}`) &&
                  !answered.has(`${item.itemId}:${s.playerId}:${v}`)
                )
                  report.resumeMismatches++;
            views[i] = view;
          } else {
            report.rejoinMs.push(performance.now() - t1);
          }
          return back;
        }),
      );
      // A round everyone finished is revealed; the next cycle starts a new one.
      if (inRound) {
        const done = views.every((v, i) =>
          v!.items.every((item, k) =>
            acked.has(`${item.itemId}:${students[i]!.playerId}:${verdictOf(i, k)}`),
          ),
        );
        if (done) {
          const revealed = await host.emitWithAck("host:reveal", auth);
          if (revealed.ok) {
            report.roundsRevealed++;
            status = "reveal";
          }
        }
      }
    }
    const last = inspectDatabase(dbUrl);
    report.acked = acked.size;
    report.persisted = [...acked].filter((k) => last.answers.has(k)).length;
    if (last.integrity !== "ok") report.integrityFailures.push(`final: ${last.integrity}`);
    return report;
  } finally {
    for (const s of open) s.close();
    await server.stop();
  }
}

export function crashSummary(r: CrashReport): string[] {
  const ms = (xs: number[], q: number) => `${Math.round(quantile(xs, q))} ms`;
  return [
    `kills: ${r.kills} (SIGKILL mid-round), students: ${r.students}`,
    `acknowledged answers: ${r.acked}, in the database after the kills: ${r.persisted}, lost: ${r.lost.length}`,
    `integrity_check failures: ${r.integrityFailures.length}, resume mismatches: ${r.resumeMismatches}`,
    `rounds started: ${r.roundsStarted}, revealed after a restart: ${r.roundsRevealed}`,
    `restart to ready: median ${ms(r.restartMs, 0.5)}, max ${ms(r.restartMs, 1)}`,
    `student back in the round (connect + join + resume): p50 ${ms(r.rejoinMs, 0.5)}, p95 ${ms(r.rejoinMs, 0.95)}`,
  ];
}
