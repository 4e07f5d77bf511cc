import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { historyHarnessPerTest, playOneRound } from "./history-seed";

const harness = historyHarnessPerTest();

const bearer = (secret: string) => ({ Authorization: `Bearer ${secret}` });
const STRANGER = "x".repeat(32);

async function list(base: string, body: unknown) {
  const res = await fetch(`${base}/api/history/sessions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    teacher: boolean;
    sessions: {
      kind: string;
      id: string;
      code: string;
      players: number;
      rounds: number;
      stepsReached: number;
      classAccuracy: number;
      policeAccuracy: number;
      snapshots: number;
      tokenIndex: number | null;
    }[];
  };
}

/** RFC 4180: quoted fields may hold commas, quotes ("") and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n") {
      row.push(cell.replace(/\r$/, ""));
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe("history API on a session played through real sockets", () => {
  it("lists the host's class with players, rounds, steps and both accuracies from the stored answers", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const { sessions, teacher } = await list(h.url, { tokens: [STRANGER, room.hostToken] });
    expect(teacher).toBe(false);
    expect(sessions).toHaveLength(1);
    const s = sessions[0]!;
    expect(s).toMatchObject({ kind: "room", id: room.roomId, code: room.code, tokenIndex: 1 });
    expect(s).toMatchObject({ players: 2, rounds: 1, stepsReached: 10, snapshots: 2 });
    const answers = await h.db.answer.findMany();
    expect(s.classAccuracy).toBeCloseTo(answers.filter((a) => a.correct).length / answers.length);
    const items = await h.db.item.findMany();
    const policeRight = items.filter((i) => i.dProbability! >= 0.5 === (i.kind === "real"));
    expect(s.policeAccuracy).toBeCloseTo(policeRight.length / items.length);
  });

  it("shows a wrong token nothing: an empty list and 404 on every session route", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    expect((await list(h.url, { tokens: [STRANGER] })).sessions).toEqual([]);
    expect((await list(h.url, { passphrase: "not the passphrase" })).sessions).toEqual([]);
    const snap = await h.db.snapshot.findFirstOrThrow();
    const routes = [
      `/api/history/room/${room.roomId}`,
      `/api/history/room/${room.roomId}/answers.csv`,
      `/api/history/room/${room.roomId}/session.json`,
      `/api/history/room/${room.roomId}/rounds/0`,
      `/api/history/snapshots/${snap.id}`,
      `/api/history/snapshots/${snap.id}/grid.png`,
    ];
    for (const route of routes) {
      const res = await fetch(h.url + route, { headers: bearer(STRANGER) });
      expect([route, res.status]).toEqual([route, 404]);
      expect(await res.text()).not.toContain(room.code);
    }
    const del = await fetch(`${h.url}/api/history/room/${room.roomId}`, {
      method: "DELETE",
      headers: bearer(STRANGER),
    });
    expect(del.status).toBe(404);
    expect(await h.db.room.count()).toBe(1);
  });

  it("gives the session's leaderboard with the police, per-round intervals, curves and snapshots", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const res = await fetch(`${h.url}/api/history/room/${room.roomId}`, {
      headers: bearer(room.hostToken),
    });
    expect(res.status).toBe(200);
    const detail = await res.json();
    const police = await h.db.room.findUniqueOrThrow({ where: { id: room.roomId } });
    expect(detail.leaderboard).toHaveLength(3);
    expect(detail.leaderboard).toContainEqual(
      expect.objectContaining({ isPolice: true, score: police.policeScore }),
    );
    const players = await h.db.player.findMany();
    for (const p of players) {
      expect(detail.leaderboard).toContainEqual(
        expect.objectContaining({ nickname: p.nickname, score: p.score, isPolice: false }),
      );
    }
    expect(detail.rounds).toHaveLength(1);
    const r = detail.rounds[0];
    expect(r).toMatchObject({ index: 0, items: 4, answers: 8 });
    for (const ci of [r.classAccuracy, r.policeAccuracy]) {
      expect(ci.low).toBeLessThanOrEqual(ci.estimate);
      expect(ci.high).toBeGreaterThanOrEqual(ci.estimate);
      expect(ci.level).toBe(0.95);
    }
    expect(detail.session.classAccuracy).toBeCloseTo(r.classAccuracy.estimate);
    expect(detail.metrics.map((m: { step: number }) => m.step)).toEqual([2, 6, 10]);
    expect(detail.metrics[0].lambda).toBe(0.25);
    expect(detail.snapshots.map((s: { step: number }) => s.step)).toEqual([5, 10]);
  });

  it("exports one CSV row per stored answer that parses back to the same values", async () => {
    const h = await harness();
    const room = await playOneRound(h, ["-1 Ada", "Grace"]);
    const res = await fetch(`${h.url}/api/history/room/${room.roomId}/answers.csv`, {
      headers: bearer(room.hostToken),
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename=".+\.csv"/);
    const [header, ...rows] = parseCsv(await res.text());
    expect(header).toEqual([
      "round",
      "image_id",
      "position",
      "kind",
      "generator_step",
      "player",
      "verdict",
      "correct",
      "latency_ms",
      "points",
      "police_probability",
    ]);
    const stored = await h.db.answer.findMany({ include: { item: true, player: true } });
    expect(rows).toHaveLength(stored.length);
    for (const a of stored) {
      const row = rows.find((r) => r[1] === a.itemId && r[5]!.endsWith(a.player.nickname));
      expect(row).toEqual([
        "1",
        a.itemId,
        String(a.item.position),
        a.item.kind,
        a.item.generatorStep === null ? "" : String(a.item.generatorStep),
        // A nickname a spreadsheet would run as a formula is defused with a leading quote.
        a.player.nickname.startsWith("-") ? `'${a.player.nickname}` : a.player.nickname,
        a.verdict,
        String(a.correct),
        String(a.latencyMs),
        String(a.points),
        String(a.item.dProbability),
      ]);
    }
  });

  it("exports the whole session as JSON holding every image and answer", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const res = await fetch(`${h.url}/api/history/room/${room.roomId}/session.json`, {
      headers: bearer(room.hostToken),
    });
    const doc = JSON.parse(await res.text());
    expect(doc).toMatchObject({ format: "spot-the-fake-session", session: { id: room.roomId } });
    expect(doc.players).toHaveLength(2);
    expect(doc.rounds).toHaveLength(1);
    const items = doc.rounds[0].items;
    expect(items).toHaveLength(4);
    for (const item of items) {
      const stored = await h.db.item.findUniqueOrThrow({ where: { id: item.id } });
      expect(Buffer.from(item.image, "base64")).toEqual(Buffer.from(stored.image));
      expect(item.answers).toHaveLength(2);
    }
  });

  it("gives a revealed round's images with the truth and the verdicts given then, for re-judging", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const res = await fetch(`${h.url}/api/history/room/${room.roomId}/rounds/0`, {
      headers: bearer(room.hostToken),
    });
    const round = (await res.json()) as {
      items: { itemId: string; kind: string; image: string; saidReal: number; saidFake: number }[];
    };
    expect(round.items).toHaveLength(4);
    for (const it of round.items) {
      const stored = await h.db.item.findUniqueOrThrow({
        where: { id: it.itemId },
        include: { answers: true },
      });
      expect(it.kind).toBe(stored.kind);
      expect(Buffer.from(it.image, "base64")).toEqual(Buffer.from(stored.image));
      expect(it.saidReal).toBe(stored.answers.filter((a) => a.verdict === "real").length);
      expect(it.saidReal + it.saidFake).toBe(2);
    }
    const missing = await fetch(`${h.url}/api/history/room/${room.roomId}/rounds/1`, {
      headers: bearer(room.hostToken),
    });
    expect(missing.status).toBe(404);
  });

  it("draws a snapshot's sample grid as a PNG of the requested layout", async () => {
    const h = await harness();
    const room = await playOneRound(h);
    const snap = await h.db.snapshot.findFirstOrThrow({ orderBy: { step: "asc" } });
    const res = await fetch(
      `${h.url}/api/history/snapshots/${snap.id}/grid.png?count=6&cols=3&scale=2&seed=4`,
      { headers: bearer(room.hostToken) },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
    const width = png.readUInt32BE(16);
    const height = png.readUInt32BE(20);
    expect([width, height]).toEqual([(3 * 28 + 2 * 2) * 2, (2 * 28 + 2) * 2]);
    const idatLength = png.readUInt32BE(33);
    expect(png.subarray(37, 41).toString("ascii")).toBe("IDAT");
    const raw = inflateSync(png.subarray(41, 41 + idatLength));
    expect(raw.length).toBe((width + 1) * height);
    // Dark ink on white paper: the gaps between digits are white, the digits are not blank.
    expect(raw[1 + 28 * 2]).toBe(255);
    const digit = raw.subarray(1, 1 + 28 * 2);
    expect(new Set(digit).size).toBeGreaterThan(1);
  });
});
