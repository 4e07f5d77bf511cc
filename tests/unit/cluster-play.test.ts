// Two game processes on one Redis and one PostgreSQL: a host on process A and students on A and B
// play a full round; every event of a student on B reaches the room's state machine on A, and the
// broadcasts of A reach B's students. Skipped (with the reason in its name) where redis-server or
// PostgreSQL is not installed; .ci/run installs both.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalCluster, type LocalCluster } from "@/scripts/cluster";
import { nextEvent, type Client } from "./server-harness";
import { tinySnapshot } from "./server-harness";
import { clientOf, clusterSkip, hostRoom, joinAs } from "./cluster-helpers";

const title = clusterSkip
  ? `two processes — ${clusterSkip}`
  : "two processes on Redis + PostgreSQL";
if (clusterSkip) console.warn(`cluster-play.test.ts: ${title}`);

describe.skipIf(!!clusterSkip)(title, () => {
  let cluster: LocalCluster;
  const opened: Client[] = [];

  beforeAll(async () => {
    cluster = await startLocalCluster({ nodes: 2, gameOnly: true });
  }, 180_000);

  afterAll(async () => {
    for (const s of opened) s.disconnect();
    await cluster?.stop();
  }, 60_000);

  it("plays a full round with the host on A and students on A and B: same acks, one state machine, rows in PostgreSQL", async () => {
    const [a, b] = cluster.nodes as [LocalCluster["nodes"][0], LocalCluster["nodes"][0]];
    const host = await clientOf(a.url, opened);
    const { code, auth } = await hostRoom(host);
    // The room runs on A: A holds its lease, B does not.
    expect((await a.stats()).leases).toContain(code);
    expect((await b.stats()).leases).not.toContain(code);

    const students = [];
    for (const [i, nickname] of ["Ada", "Grace", "Alan", "Edsger"].entries()) {
      const socket = await clientOf(i % 2 === 0 ? a.url : b.url, opened);
      students.push({
        socket,
        on: i % 2 === 0 ? "A" : "B",
        ...(await joinAs(socket, code, nickname)),
      });
    }
    // Seats are distinct and a lobby update lists all four players wherever they are connected.
    expect(new Set(students.map((s) => s.playerId)).size).toBe(4);

    const started = students.map((s) => nextEvent(s.socket, "round:started"));
    const hostStarted = nextEvent(host, "round:started");
    expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
    const rounds = await Promise.all(started);
    await hostStarted;
    const round = rounds[0]!;
    for (const r of rounds) expect(r.roundId).toBe(round.roundId);
    expect(round.items).toHaveLength(6);

    const acked: string[] = [];
    for (const [i, s] of students.entries()) {
      for (const item of round.items) {
        const ack = await s.socket.emitWithAck("round:answer", {
          roundId: round.roundId,
          itemId: item.itemId,
          verdict: (i + item.itemId.length) % 2 ? "real" : "fake",
        });
        expect(ack.ok, `${s.on} answer`).toBe(true);
        if (ack.ok) expect(ack.data.duplicate).toBe(false);
        acked.push(`${item.itemId}:${s.playerId}`);
      }
    }
    // A second answer to the same item is refused by the one state machine, from either process.
    for (const s of students.slice(0, 2)) {
      const again = await s.socket.emitWithAck("round:answer", {
        roundId: round.roundId,
        itemId: round.items[0]!.itemId,
        verdict: "real",
      });
      expect(again.ok && !again.data.duplicate).toBe(false);
    }

    const revealed = students.map((s) => nextEvent(s.socket, "round:revealed"));
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    const reveals = await Promise.all(revealed);
    const players = reveals[0]!.leaderboard.filter((e) => !e.isPolice);
    expect(players).toHaveLength(4);
    for (const r of reveals) expect(r.leaderboard).toEqual(reveals[0]!.leaderboard);

    // B forwarded its students' events; A ran them. Every acknowledged answer is a row.
    const bStats = await b.stats();
    expect(bStats.router!.forwarded).toBeGreaterThanOrEqual(2 * 6 + 2);
    const sql = new pg.Client({ connectionString: cluster.postgres.url });
    await sql.connect();
    try {
      const rows = await sql.query<{ id: string }>(
        `SELECT a."id" FROM "Answer" a JOIN "Player" p ON p."id" = a."playerId"
         JOIN "Room" r ON r."id" = p."roomId" WHERE r."code" = $1`,
        [code],
      );
      expect(rows.rows.map((r) => r.id).sort()).toEqual(acked.sort());
      const scores = await sql.query<{ nickname: string; score: number }>(
        `SELECT p."nickname", p."score" FROM "Player" p JOIN "Room" r ON r."id" = p."roomId"
         WHERE r."code" = $1`,
        [code],
      );
      for (const row of scores.rows) {
        expect(players.find((e) => e.nickname === row.nickname)?.score).toBe(row.score);
      }
    } finally {
      await sql.end();
    }
  }, 120_000);

  it("the HTTP room reads (projector resume, forge download) answer from either process", async () => {
    const [a, b] = cluster.nodes as [LocalCluster["nodes"][0], LocalCluster["nodes"][0]];
    const host = await clientOf(a.url, opened);
    const { code, hostToken } = await hostRoom(host);
    const student = await clientOf(b.url, opened);
    const { seatToken } = await joinAs(student, code, "Ada");
    const uploaded = await tinySnapshot(5);
    for (const node of [a, b]) {
      const resume = await node.read("latestSnapshot", code, hostToken);
      expect(resume?.step, `${node.name} resume`).toBe(5);
      expect(Buffer.from(resume!.weights).equals(Buffer.from(uploaded))).toBe(true);
      const forge = await node.read("forgeSnapshot", code, seatToken);
      expect(forge?.step, `${node.name} forge`).toBe(5);
      // A wrong token gets nothing, wherever it asks.
      expect(await node.read("latestSnapshot", code, seatToken)).toBeNull();
      expect(await node.read("forgeSnapshot", code, hostToken)).toBeNull();
    }
    // Only A ran the room: B asked it rather than loading a second copy.
    expect((await b.stats()).leases).not.toContain(code);
  }, 60_000);

  it("a room deleted through the process that does not run it is closed everywhere", async () => {
    const [a, b] = cluster.nodes as [LocalCluster["nodes"][0], LocalCluster["nodes"][0]];
    const host = await clientOf(a.url, opened);
    const { code, roomId } = await hostRoom(host);
    const onA = await clientOf(a.url, opened);
    const onB = await clientOf(b.url, opened);
    await joinAs(onA, code, "Ada");
    await joinAs(onB, code, "Grace");
    const closed = [onA, onB].map(
      (s) => new Promise<string>((resolve) => s.once("disconnect", (reason) => resolve(reason))),
    );
    const told = nextEvent(host, "error");
    b.child.send({ type: "forget", roomId });
    // A, which runs the room, told everyone (on both processes) and closed their sockets.
    expect((await told).code).toBe("ROOM_ENDED");
    expect(await Promise.all(closed)).toEqual(["io server disconnect", "io server disconnect"]);
  }, 60_000);
});
