// PostgreSQL by configuration: a throw-away cluster from Debian's packages, the committed
// PostgreSQL migrations, and the real room flow and API on top. Skipped (with the reason in its
// name) where no PostgreSQL server is installed; .ci/run installs one.
import { execFile, spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { createApiRouter } from "@/server/api/router";
import { runRoutes } from "@/server/api/runs";
import { closeDatabase, databaseProvider, openDatabase } from "@/server/db";
import { createLogger } from "@/server/logger";
import { migrateDatabase } from "@/server/migrate";
import {
  findPostgresBin,
  startPostgresCluster,
  type PostgresCluster,
} from "@/scripts/postgres-cluster";
import { mountHistoryApi, playOneRound } from "./history-seed";
import { noiseImages, nextEvent, startHarness, tinySnapshot, type Harness } from "./server-harness";

const execFileAsync = promisify(execFile);
const logger = createLogger("silent");
const bin = findPostgresBin();
const title = bin
  ? `on PostgreSQL (${bin})`
  : "on PostgreSQL — SKIPPED: no server in /usr/lib/postgresql/*/bin (apt-get install postgresql)";
if (!bin) console.warn(`postgres.test.ts: ${title}`);

describe("the PostgreSQL schema", () => {
  it("is prisma/schema.prisma with only the provider and client folder changed", () => {
    const check = spawnSync(process.execPath, ["scripts/prisma-postgres.mjs", "check"], {
      encoding: "utf8",
    });
    expect(check.stderr).toBe("");
    expect(check.status).toBe(0);
    const pgSchema = readFileSync("prisma/postgres/schema.prisma", "utf8");
    expect(pgSchema).toMatch(/provider\s*=\s*"postgresql"/);
    expect(pgSchema).toMatch(/output\s*=\s*"\.\.\/\.\.\/server\/generated\/prisma-pg"/);
    expect(readFileSync("prisma/postgres/migrations/migration_lock.toml", "utf8")).toMatch(
      /provider = "postgresql"/,
    );
  });

  it("chooses the provider from the URL scheme", () => {
    expect(databaseProvider("file:./data/x.db")).toBe("sqlite");
    expect(databaseProvider("postgresql://u@h:5432/db")).toBe("postgresql");
    expect(databaseProvider("postgres://u@h/db")).toBe("postgresql");
    expect(() => databaseProvider("mysql://u@h/db")).toThrow(/file: .* postgresql:/);
  });
});

describe.skipIf(!bin)(title, () => {
  let cluster: PostgresCluster;
  let sql: pg.Client;
  let h: Harness | null = null;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    await migrateDatabase(cluster.url, logger);
    sql = new pg.Client({ connectionString: cluster.url });
    await sql.connect();
  }, 120_000);

  afterEach(async () => {
    await h?.stop();
    h = null;
  });

  afterAll(async () => {
    await sql?.end();
    await cluster?.stop();
  });

  it("applies every committed migration once, and they build exactly the data model", async () => {
    const committed = readdirSync("prisma/postgres/migrations", { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    // A model change without a new PostgreSQL migration is a non-empty diff (exit code 2). The
    // schema engine replays the migrations into a shadow database on this cluster, so this runs
    // alongside a second start's migrate, which must find nothing to do.
    const diff = execFileAsync(
      process.execPath,
      [
        "scripts/prisma-postgres.mjs",
        "migrate",
        "diff",
        "--from-migrations",
        "prisma/postgres/migrations",
        "--to-schema-datamodel",
        "prisma/postgres/schema.prisma",
        "--script",
        "--exit-code",
      ],
      { env: { ...process.env, DATABASE_URL: cluster.url } },
    ).catch((err: { code?: number; stdout?: string; stderr?: string }) => err);
    await migrateDatabase(cluster.url, logger);
    const applied = await sql.query<{ migration_name: string }>(
      `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY 1`,
    );
    expect(applied.rows.map((r) => r.migration_name)).toEqual(committed);
    const result = await diff;
    expect("code" in result ? result.code : 0, result.stderr).toBe(0);
    expect(result.stdout?.replace(/--.*\n/g, "").trim()).toBe("");
  }, 120_000);

  it("plays a round: joins, answers and the reveal are rows in PostgreSQL, and survive a restart", async () => {
    h = await startHarness(cluster.url, { migrate: false });
    const host = await h.client();
    const created = await host.emitWithAck("room:create", {
      protocolVersion: PROTOCOL_VERSION,
      settings: { roundSize: 6, roundSeconds: 60 },
    });
    if (!created.ok) throw new Error(created.code);
    const { code, hostToken } = created.data;
    const auth = { code, hostToken };
    const weights = await tinySnapshot(5);
    const snap = await host.emitWithAck("trainer:snapshot", { ...auth, step: 5, weights });
    expect(snap.ok).toBe(true);
    const fakes = await host.emitWithAck("trainer:fakes", {
      ...auth,
      step: 5,
      images: noiseImages(32),
    });
    expect(fakes.ok).toBe(true);

    const students = [];
    for (const nickname of ["Ada", "Grace", "Alan"]) {
      const socket = await h.client();
      const res = await socket.emitWithAck("room:join", {
        protocolVersion: PROTOCOL_VERSION,
        code,
        nickname,
      });
      if (!res.ok) throw new Error(res.code);
      students.push({ socket, ...res.data });
    }
    const started = students.map((s) => nextEvent(s.socket, "round:started"));
    expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
    const round = (await Promise.all(started))[0]!;
    expect(round.items).toHaveLength(6);

    // Ada and Grace answer everything, Alan only the first two items.
    for (const [i, s] of students.entries()) {
      for (const item of round.items.slice(0, i === 2 ? 2 : 6)) {
        const ack = await s.socket.emitWithAck("round:answer", {
          roundId: round.roundId,
          itemId: item.itemId,
          verdict: i === 0 ? "real" : "fake",
        });
        expect(ack.ok).toBe(true);
      }
    }
    const duplicate = await students[0]!.socket.emitWithAck("round:answer", {
      roundId: round.roundId,
      itemId: round.items[0]!.itemId,
      verdict: "fake",
    });
    expect(duplicate.ok).toBe(false);

    const revealed = nextEvent(students[0]!.socket, "round:revealed");
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    const reveal = await revealed;
    const police = reveal.leaderboard.find((e) => e.isPolice);
    expect(police).toBeDefined();

    // The rows, read with plain SQL rather than through Prisma.
    const room = await sql.query<{ id: string; status: string; policeScore: number }>(
      `SELECT "id", "status", "policeScore" FROM "Room" WHERE "code" = $1`,
      [code],
    );
    expect(room.rows).toHaveLength(1);
    const roomId = room.rows[0]!.id;
    expect(room.rows[0]!.policeScore).toBe(police!.score);
    const rounds = await sql.query<{ revealedAt: Date | null }>(
      `SELECT "revealedAt" FROM "Round" WHERE "roomId" = $1`,
      [roomId],
    );
    expect(rounds.rows).toHaveLength(1);
    expect(rounds.rows[0]!.revealedAt).toBeInstanceOf(Date);
    const items = await sql.query<{ kind: string; bytes: number }>(
      `SELECT i."kind", octet_length(i."image") AS "bytes" FROM "Item" i
       JOIN "Round" r ON r."id" = i."roundId" WHERE r."roomId" = $1`,
      [roomId],
    );
    expect(items.rows.map((r) => r.bytes)).toEqual([784, 784, 784, 784, 784, 784]);
    expect(items.rows.filter((r) => r.kind === "real")).toHaveLength(3);
    const players = await sql.query<{
      nickname: string;
      score: number;
      answers: string;
      points: string;
    }>(
      `SELECT p."nickname", p."score", count(a."id") AS "answers", coalesce(sum(a."points"), 0) AS "points"
       FROM "Player" p LEFT JOIN "Answer" a ON a."playerId" = p."id"
       WHERE p."roomId" = $1 GROUP BY p."id" ORDER BY p."nickname"`,
      [roomId],
    );
    expect(players.rows.map((r) => [r.nickname, Number(r.answers)])).toEqual([
      ["Ada", 6],
      ["Alan", 2],
      ["Grace", 6],
    ]);
    for (const p of players.rows) expect(p.score).toBe(Number(p.points));
    expect(players.rows.some((p) => p.score > 0)).toBe(true);
    const snapshots = await sql.query<{ step: number; bytes: number }>(
      `SELECT s."step", octet_length(s."weights") AS "bytes" FROM "Snapshot" s
       JOIN "TrainingRun" t ON t."id" = s."runId" WHERE t."roomId" = $1`,
      [roomId],
    );
    expect(snapshots.rows).toEqual([{ step: 5, bytes: weights.byteLength }]);

    // A new process on the same database restores the room: Alan gets his seat and answers back.
    const alan = students[2]!;
    await h.stop();
    h = await startHarness(cluster.url, { migrate: false });
    const back = await h.client();
    const rejoin = await back.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code,
      nickname: "Alan",
      seatToken: alan.seatToken,
    });
    expect(rejoin.ok && rejoin.data.playerId).toBe(alan.playerId);
  });

  it("lists a run's snapshots with their sizes through the API (portable raw SQL)", async () => {
    const db = await openDatabase(cluster.url);
    const api = createApiRouter(runRoutes(db), logger);
    const http: Server = createServer((req, res) => {
      void api(req, res).then((handled) => {
        if (!handled) res.writeHead(404).end();
      });
    });
    try {
      await new Promise<void>((r) => http.listen(0, "127.0.0.1", r));
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      const run = await fetch(`${base}/api/runs`, {
        method: "POST",
        body: JSON.stringify({ name: "pg run", kind: "solo", config: { preset: "tiny" } }),
      });
      expect(run.status).toBe(201);
      const { runId, ownerToken } = (await run.json()) as { runId: string; ownerToken: string };
      const headers = { Authorization: `Bearer ${ownerToken}` };
      const sizes: number[] = [];
      for (const step of [3, 9]) {
        const bytes = await tinySnapshot(step);
        sizes.push(bytes.byteLength);
        const up = await fetch(`${base}/api/runs/${runId}/snapshots`, {
          method: "POST",
          headers,
          body: new Blob([bytes as BlobPart]),
        });
        expect(up.status).toBe(201);
      }
      const list = (await (
        await fetch(`${base}/api/runs/${runId}/snapshots`, { headers })
      ).json()) as { snapshots: { step: number; bytes: number; createdAt: string }[] };
      expect(list.snapshots.map((s) => [s.step, s.bytes])).toEqual([
        [3, sizes[0]],
        [9, sizes[1]],
      ]);
      for (const s of list.snapshots) {
        expect(Math.abs(Date.parse(s.createdAt) - Date.now())).toBeLessThan(60_000);
      }
    } finally {
      await new Promise<void>((r) => http.close(() => r()));
      await closeDatabase(db);
    }
  });
  it("keeps a class's history: detail with grouped counts, CSV export, and a delete that removes every row", async () => {
    h = await startHarness(cluster.url, { migrate: false });
    mountHistoryApi(h);
    const room = await playOneRound(h, ["Kim", "Lee"]);
    const auth = { Authorization: `Bearer ${room.hostToken}` };
    const detail = (await (
      await fetch(`${h.url}/api/history/room/${room.roomId}`, { headers: auth })
    ).json()) as {
      rounds: { items: number; answers: number }[];
      metrics: { step: number }[];
      snapshots: { step: number }[];
      session: { players: number; classAccuracy: number | null };
    };
    expect(detail.rounds).toEqual([expect.objectContaining({ items: 4, answers: 8 })]);
    expect(detail.session.players).toBe(2);
    expect(detail.session.classAccuracy).not.toBeNull();
    expect(detail.metrics.map((m) => m.step)).toEqual([2, 6, 10]);
    expect(detail.snapshots.map((x) => x.step)).toEqual([5, 10]);
    const csv = await (
      await fetch(`${h.url}/api/history/room/${room.roomId}/answers.csv`, { headers: auth })
    ).text();
    expect(csv.trim().split("\n")).toHaveLength(1 + 8);

    const before = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Answer"`);
    const del = await fetch(`${h.url}/api/history/room/${room.roomId}`, {
      method: "DELETE",
      headers: auth,
    });
    expect(del.status).toBe(200);
    expect(((await del.json()) as { deleted: unknown }).deleted).toEqual({
      rooms: 1,
      players: 2,
      rounds: 1,
      items: 4,
      answers: 8,
      runs: 1,
      snapshots: 2,
      metrics: 3,
    });
    const after = await sql.query<{ n: string }>(`SELECT count(*) AS n FROM "Answer"`);
    expect(Number(before.rows[0]!.n) - Number(after.rows[0]!.n)).toBe(8);
    const left = await sql.query(`SELECT 1 FROM "Room" WHERE "id" = $1`, [room.roomId]);
    expect(left.rowCount).toBe(0);
  });
});
