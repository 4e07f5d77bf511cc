// Starts scripts/bench/fault-server.ts as a child process and kills it the hard way.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import Database from "better-sqlite3";
import { sqliteFilePath } from "../../server/db";

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  url: string;
  /** SIGKILL, resolved once the process is gone. */
  kill9(): Promise<void>;
  /** SIGTERM-free stop for the end of a run. */
  stop(): Promise<void>;
  /** Blocks the server's event loop for `ms` (a busy server); resolves when it runs again. */
  stall(ms: number): Promise<void>;
}

export async function startServerProcess(
  dbUrl: string,
  port = 0,
  timeoutMs = 60_000,
): Promise<ServerProcess> {
  const child = fork(path.join(import.meta.dirname, "fault-server.ts"), {
    execArgv: ["--import", "tsx"],
    env: { ...process.env, DATABASE_URL: dbUrl, PORT: String(port), LOG_LEVEL: "error" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const ready = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("server did not start in time")), timeoutMs);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
    child.on("message", (msg: { type: string; port: number }) => {
      if (msg.type === "ready") {
        clearTimeout(timer);
        resolve(msg.port);
      }
    });
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    port: ready,
    url: `http://127.0.0.1:${ready}`,
    async kill9() {
      child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      child.kill("SIGKILL");
      await exited;
    },
    stall(ms) {
      return new Promise((resolve) => {
        const onMessage = (msg: { type: string }) => {
          if (msg.type !== "stalled") return;
          child.off("message", onMessage);
          resolve();
        };
        child.on("message", onMessage);
        child.send({ type: "stall", ms });
      });
    },
  };
}

/** Opens the database file as it is on disk (WAL included) and checks it, as SQLite's own
 * crash tests do: integrity, and the set of stored answers. */
export function inspectDatabase(dbUrl: string): { integrity: string; answers: Set<string> } {
  const db = new Database(sqliteFilePath(dbUrl)!);
  try {
    const integrity = (db.pragma("integrity_check") as { integrity_check: string }[])
      .map((r) => r.integrity_check)
      .join("; ");
    const rows = db.prepare('SELECT "itemId", "playerId", "verdict" FROM "Answer"').all() as {
      itemId: string;
      playerId: string;
      verdict: string;
    }[];
    return {
      integrity,
      answers: new Set(rows.map((r) => `${r.itemId}:${r.playerId}:${r.verdict}`)),
    };
  } finally {
    db.close();
  }
}
