// A throw-away PostgreSQL cluster from the Debian packages (initdb into a temp folder, pg_ctl on a
// free loopback port), for tests and for generating PostgreSQL migrations. The JS schema engine
// talks to a live database even for `migrate diff`, so generating SQL needs a server too.
//
//   tsx scripts/postgres-cluster.ts                 starts one, prints its URL, stops on Ctrl-C
//   tsx scripts/postgres-cluster.ts <cmd> [args]    runs cmd with DATABASE_URL set, then stops it
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface PostgresCluster {
  /** postgresql://postgres@127.0.0.1:<port>/postgres (trust authentication, loopback only). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** The bin folder of the newest installed PostgreSQL (PG_BIN overrides), or null. */
export function findPostgresBin(): string | null {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv) return existsSync(path.join(fromEnv, "postgres")) ? fromEnv : null;
  const base = "/usr/lib/postgresql";
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(path.join(base, v, "bin", "postgres")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

function freePort(): Promise<number> {
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

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  if (!bin) throw new Error("No PostgreSQL server found (apt-get install postgresql)");
  const dir = mkdtempSync(path.join(tmpdir(), "stf-pg-"));
  // PostgreSQL refuses to run as root: run it as the package's `postgres` user instead.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  const run = (tool: string, args: string[]) => {
    const [cmd, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", path.join(bin, tool), ...args]]
      : [path.join(bin, tool), args];
    const r = spawnSync(cmd, argv, { encoding: "utf8" });
    if (r.status !== 0) {
      throw new Error(`${tool} failed (${r.status}): ${r.stderr || r.stdout || r.error?.message}`);
    }
  };
  const data = path.join(dir, "data");
  const port = await freePort();
  try {
    run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    // Throw-away data: no fsync. The socket goes into the temp folder, not /var/run/postgresql.
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    run("pg_ctl", ["-D", data, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    process.off("exit", stopSync);
    try {
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // A test run that ends without calling stop() still leaves no server behind.
  process.on("exit", stopSync);
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      stopSync();
    },
  };
}

async function main(args: string[]): Promise<number> {
  const cluster = await startPostgresCluster();
  if (args.length === 0) {
    console.log(`PostgreSQL is running at ${cluster.url} (Ctrl-C stops and deletes it)`);
    await new Promise<void>((resolve) => {
      const keepAlive = setInterval(() => {}, 1 << 30); // a pending promise alone would not
      const done = () => {
        clearInterval(keepAlive);
        resolve();
      };
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await cluster.stop();
    return 0;
  }
  try {
    const [cmd, ...rest] = args as [string, ...string[]];
    const r = spawnSync(cmd, rest, {
      stdio: "inherit",
      env: { ...process.env, DATABASE_URL: cluster.url },
    });
    return r.status ?? 1;
  } finally {
    await cluster.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
