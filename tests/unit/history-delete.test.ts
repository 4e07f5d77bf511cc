import { describe, expect, it } from "vitest";
import { purgeExpiredSessions } from "@/server/retention";
import type { Harness } from "./server-harness";
import { countRows, historyHarnessPerTest, PASSPHRASE, playOneRound } from "./history-seed";

const harness = historyHarnessPerTest();

const del = (h: Harness, path: string, secret: string) =>
  fetch(`${h.url}/api/history/${path}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${secret}` },
  });

const DAY = 24 * 60 * 60 * 1000;

describe("deleting and purging sessions", () => {
  it("removes every row of the class and nothing of another class, and reports the counts", async () => {
    const h = await harness();
    const kept = await playOneRound(h, ["Kim", "Lee", "Max"]);
    const gone = await playOneRound(h, ["Ada", "Grace"]);
    const before = await countRows(h);

    // The passphrase lets a teacher look, not delete; another class's token gets nothing.
    expect((await del(h, `room/${gone.roomId}`, PASSPHRASE)).status).toBe(403);
    expect((await del(h, `room/${gone.roomId}`, kept.hostToken)).status).toBe(404);
    expect(await countRows(h)).toEqual(before);

    const res = await del(h, `room/${gone.roomId}`, gone.hostToken);
    expect(res.status).toBe(200);
    const { deleted } = (await res.json()) as { deleted: Record<string, number> };
    const after = await countRows(h);
    for (const table of Object.keys(before) as (keyof typeof before)[]) {
      expect([table, before[table] - after[table]]).toEqual([table, deleted[table]]);
    }
    // What the deleted class had: 1 room, 2 players, 1 round of 4 items, 8 answers, 1 run with
    // 2 snapshots and 3 metrics. What is left is exactly the other class.
    expect(deleted).toEqual({
      rooms: 1,
      players: 2,
      rounds: 1,
      items: 4,
      answers: 8,
      runs: 1,
      snapshots: 2,
      metrics: 3,
    });
    expect(after).toEqual({
      rooms: 1,
      players: 3,
      rounds: 1,
      items: 4,
      answers: 12,
      runs: 1,
      snapshots: 2,
      metrics: 3,
    });
    expect(await h.db.room.findUnique({ where: { id: kept.roomId } })).not.toBeNull();

    const again = await fetch(`${h.url}/api/history/room/${gone.roomId}`, {
      headers: { Authorization: `Bearer ${gone.hostToken}` },
    });
    expect(again.status).toBe(404);
  });

  it("lets the teacher passphrase list every class but not a stranger", async () => {
    const h = await harness();
    const a = await playOneRound(h, ["Ada", "Bo"]);
    const b = await playOneRound(h, ["Cy", "Di"]);
    const res = await fetch(`${h.url}/api/history/sessions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${PASSPHRASE}`, "Content-Type": "application/json" },
      body: JSON.stringify({ tokens: [a.hostToken] }),
    });
    const body = (await res.json()) as {
      teacher: boolean;
      sessions: { id: string; access: string }[];
    };
    expect(body.teacher).toBe(true);
    expect(body.sessions.map((s) => [s.id, s.access]).sort()).toEqual(
      [
        [a.roomId, "owner"],
        [b.roomId, "teacher"],
      ].sort(),
    );
  });

  it("stops comparing the passphrase from an address after 20 wrong keys, while tokens still work", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const list = (body: unknown) =>
      fetch(`${h.url}/api/history/sessions`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await (await list({ passphrase: PASSPHRASE })).json()).teacher).toBe(true);
    for (let i = 0; i < 20; i++) {
      expect((await (await list({ passphrase: `guess number ${i}` })).json()).teacher).toBe(false);
    }
    expect((await list({ passphrase: PASSPHRASE })).status).toBe(429);
    const detail = (secret: string) =>
      fetch(`${h.url}/api/history/room/${room.roomId}`, {
        headers: { Authorization: `Bearer ${secret}` },
      });
    expect((await detail(PASSPHRASE)).status).toBe(429);
    const own = await list({ tokens: [room.hostToken] });
    expect((await own.json()).sessions).toHaveLength(1);
    expect((await detail(room.hostToken)).status).toBe(200);
  });

  it("purges sessions older than the retention period with all their rows, and keeps newer ones", async () => {
    const h = await harness();
    await playOneRound(h);
    const before = await countRows(h);
    const now = Date.now();
    expect((await purgeExpiredSessions(h.db, 30, now + 29 * DAY)).rooms).toBe(0);
    expect((await purgeExpiredSessions(h.db, 0, now + 900 * DAY)).rooms).toBe(0);
    expect(await countRows(h)).toEqual(before);

    const purged = await purgeExpiredSessions(h.db, 30, now + 31 * DAY);
    expect(purged.rooms).toBe(1);
    expect(purged.rows).toEqual(before);
    expect(Object.values(await countRows(h))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
