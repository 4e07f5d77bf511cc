// The room's process dies mid-round (kill -9) and the room goes on in the other process: its lease
// expires, process B takes the room over from PostgreSQL, students on B keep answering, students
// and the host from A come back through the proxy to the same seats, and every answer that was
// acknowledged before or after the kill is counted once. Skipped (with the reason in its name)
// where redis-server or PostgreSQL is not installed; .ci/run installs both.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { startLocalCluster, type AppProcess, type LocalCluster } from "@/scripts/cluster";
import { nextEvent, type Client } from "./server-harness";
import { clientOf, clusterSkip, hostRoom, joinAs } from "./cluster-helpers";

const LEASE_MS = 3000;
const title = clusterSkip
  ? `take-over after kill -9 — ${clusterSkip}`
  : "take-over after kill -9 of the room's process";
if (clusterSkip) console.warn(`cluster-takeover.test.ts: ${title}`);

/** Connects through the proxy; a connection that lands on the dead process is tried again. */
async function viaProxy(url: string, opened: Client[]): Promise<Client> {
  let last: unknown;
  for (let i = 0; i < 10; i++) {
    try {
      return await clientOf(url, opened);
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw last;
}

describe.skipIf(!!clusterSkip)(title, () => {
  let cluster: LocalCluster;
  const opened: Client[] = [];

  beforeAll(async () => {
    cluster = await startLocalCluster({ nodes: 2, gameOnly: true, leaseMs: LEASE_MS });
  }, 180_000);

  afterAll(async () => {
    for (const s of opened) s.disconnect();
    await cluster?.stop();
  }, 60_000);

  it("continues the round on B with every acknowledged answer kept, the same seats, and the host back", async () => {
    const [a, b] = cluster.nodes as [AppProcess, AppProcess];
    const host = await clientOf(a.url, opened);
    const { code, hostToken, auth } = await hostRoom(host);
    expect((await a.stats()).leases).toContain(code);

    const names = ["Ada", "Grace", "Alan", "Edsger"];
    const students: {
      socket: Client;
      node: AppProcess;
      nickname: string;
      playerId: string;
      seatToken: string;
    }[] = [];
    for (const [i, nickname] of names.entries()) {
      const node = i % 2 === 0 ? a : b;
      const socket = await clientOf(node.url, opened);
      const { playerId, seatToken } = await joinAs(socket, code, nickname);
      students.push({ socket, node, nickname, playerId, seatToken });
    }
    const started = students.map((s) => nextEvent(s.socket, "round:started"));
    expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
    const round = (await Promise.all(started))[0]!;
    const verdictOf = (i: number, k: number): "real" | "fake" => ((i + k) % 2 ? "real" : "fake");

    // Before the kill: everyone answers the first three items, acknowledged.
    const acked = new Map<string, string>(); // itemId:playerId → verdict
    const answer = async (s: (typeof students)[number], i: number, k: number) => {
      const item = round.items[k]!;
      const ack = await s.socket.emitWithAck("round:answer", {
        roundId: round.roundId,
        itemId: item.itemId,
        verdict: verdictOf(i, k),
      });
      if (ack.ok) acked.set(`${item.itemId}:${s.playerId}`, verdictOf(i, k));
      return ack;
    };
    for (const [i, s] of students.entries()) {
      for (let k = 0; k < 3; k++) expect((await answer(s, i, k)).ok).toBe(true);
    }

    // A dies with the room in memory, mid-round.
    await a.kill9();
    const killedAt = Date.now();

    // Students on B answer on, all at once: their answers wait for A's lease to expire, then
    // for B to restore the room, and are all acknowledged.
    const onB = students.map((s, i) => ({ s, i })).filter(({ s }) => s.node === b);
    for (let k = 3; k < 6; k++) {
      const acks = await Promise.all(onB.map(({ s, i }) => answer(s, i, k)));
      for (const ack of acks) expect(ack.ok, JSON.stringify(ack)).toBe(true);
    }
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThan(LEASE_MS + 5000);
    expect((await b.stats()).leases).toContain(code);

    // Students from A come back through the proxy with their seat tokens: same seats, and the
    // answers acknowledged by A are theirs (a repeat is a duplicate, not a second answer).
    for (const [i, s] of students.entries()) {
      if (s.node !== a) continue;
      const socket = await viaProxy(cluster.proxy.url, opened);
      const back = await joinAs(socket, code, s.nickname, s.seatToken);
      expect(back.playerId).toBe(s.playerId);
      s.socket = socket;
      const again = await socket.emitWithAck("round:answer", {
        roundId: round.roundId,
        itemId: round.items[0]!.itemId,
        verdict: verdictOf(i, 0),
      });
      expect(!again.ok || again.data.duplicate).toBe(true);
      for (let k = 3; k < 6; k++) expect((await answer(s, i, k)).ok, `${s.nickname}`).toBe(true);
    }

    // The host reloads through the proxy: its token still runs the room, which reveals.
    const projector = await viaProxy(cluster.proxy.url, opened);
    const resumed = await projector.emitWithAck("host:resume", {
      protocolVersion: PROTOCOL_VERSION,
      code,
      hostToken,
    });
    expect(resumed.ok).toBe(true);
    const revealed = students.map((s) => nextEvent(s.socket, "round:revealed"));
    expect((await projector.emitWithAck("host:reveal", auth)).ok).toBe(true);
    const reveals = await Promise.all(revealed);
    const board = reveals[0]!.leaderboard.filter((e) => !e.isPolice);
    expect(board.map((e) => e.nickname).sort()).toEqual([...names].sort());

    // Every acknowledged answer is stored exactly once: 4 students × 6 items.
    expect(acked.size).toBe(24);
    const sql = new pg.Client({ connectionString: cluster.postgres.url });
    await sql.connect();
    try {
      const rows = await sql.query<{ itemId: string; playerId: string; verdict: string }>(
        `SELECT a."itemId", a."playerId", a."verdict" FROM "Answer" a
         JOIN "Player" p ON p."id" = a."playerId" JOIN "Room" r ON r."id" = p."roomId"
         WHERE r."code" = $1`,
        [code],
      );
      const stored = new Map(rows.rows.map((r) => [`${r.itemId}:${r.playerId}`, r.verdict]));
      expect(stored).toEqual(acked);
      const seats = await sql.query<{ id: string }>(
        `SELECT p."id" FROM "Player" p JOIN "Room" r ON r."id" = p."roomId" WHERE r."code" = $1`,
        [code],
      );
      expect(seats.rows.map((r) => r.id).sort()).toEqual(students.map((s) => s.playerId).sort());
    } finally {
      await sql.end();
    }
  }, 120_000);
});
