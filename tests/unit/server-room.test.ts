import { afterEach, describe, expect, it } from "vitest";
import { PROTOCOL_VERSION, type RoomCreated } from "@/lib/protocol";
import {
  noiseImages,
  nextEvent,
  startHarness,
  tinySnapshot,
  type Client,
  type Harness,
} from "./server-harness";

let h: Harness | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function hostWithGenerator(harness: Harness, settings = {}) {
  const host = await harness.client();
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings,
  });
  if (!created.ok) throw new Error(created.code);
  const auth = { code: created.data.code, hostToken: created.data.hostToken };
  const snap = await host.emitWithAck("trainer:snapshot", {
    ...auth,
    step: 5,
    weights: await tinySnapshot(5),
  });
  expect(snap.ok).toBe(true);
  const fakes = await host.emitWithAck("trainer:fakes", {
    ...auth,
    step: 5,
    images: noiseImages(32),
  });
  expect(fakes.ok).toBe(true);
  return { host, created: created.data as RoomCreated, auth };
}

async function join(harness: Harness, code: string, nickname: string, seatToken?: string) {
  const socket = await harness.client();
  const res = await socket.emitWithAck("room:join", {
    protocolVersion: PROTOCOL_VERSION,
    code,
    nickname,
    ...(seatToken ? { seatToken } : {}),
  });
  if (!res.ok) throw new Error(res.code);
  return { socket, ...res.data };
}

describe("room service with real sockets and SQLite", () => {
  it("plays a round: students see no truth before the reveal, the police scores, answers are stored", async () => {
    h = await startHarness();
    const { host, created, auth } = await hostWithGenerator(h, { roundSize: 6 });
    const students = await Promise.all(
      ["Ada", "Grace", "Alan"].map((n) => join(h!, created.code, n)),
    );
    const frames: unknown[] = [];
    students[0]!.socket.onAny((event, payload) => frames.push({ event, payload }));

    const started = students.map((s) => nextEvent(s.socket, "round:started"));
    const start = await host.emitWithAck("host:start-round", auth);
    expect(start.ok).toBe(true);
    const rounds = await Promise.all(started);
    const round = rounds[0]!;
    expect(round.items).toHaveLength(6);
    for (const item of round.items) {
      expect(Object.keys(item).sort()).toEqual(["image", "itemId"]);
      expect(item.image.byteLength).toBe(784);
    }

    // Everyone answers "real" for every item; one retry of the same answer is stored once.
    for (const s of students) {
      for (const item of round.items) {
        const ack = await s.socket.emitWithAck("round:answer", {
          roundId: round.roundId,
          itemId: item.itemId,
          verdict: "real",
        });
        expect(ack.ok).toBe(true);
      }
    }
    const retry = await students[0]!.socket.emitWithAck("round:answer", {
      roundId: round.roundId,
      itemId: round.items[0]!.itemId,
      verdict: "fake",
    });
    expect(retry.ok).toBe(false);

    const revealed = nextEvent(students[0]!.socket, "round:revealed");
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    const reveal = await revealed;
    expect(reveal.items).toHaveLength(6);
    const truths = reveal.items.map((i) => i.truth);
    expect(truths.filter((t) => t === "real")).toHaveLength(3);
    for (const item of reveal.items) expect(item.dProbability).not.toBeNull();
    expect(reveal.leaderboard.some((e) => e.isPolice)).toBe(true);

    // Nothing before the reveal carried the truth.
    const beforeReveal = JSON.stringify(
      frames.filter(
        (f) =>
          (f as { event: string }).event !== "round:revealed" &&
          (f as { event: string }).event !== "round:result",
      ),
    );
    expect(beforeReveal).not.toMatch(/"kind"|"truth"|dProbability|datasetIndex/);

    const stored = await h.db.answer.findMany();
    expect(stored).toHaveLength(18);
    const players = await h.db.player.findMany();
    for (const p of players) {
      const sum = stored.filter((a) => a.playerId === p.id).reduce((s, a) => s + a.points, 0);
      expect(p.score).toBe(sum);
    }
  });

  it("rejects answers after the deadline and forged host actions", async () => {
    h = await startHarness();
    const { host, created, auth } = await hostWithGenerator(h, { roundSize: 4, roundSeconds: 10 });
    const ada = await join(h, created.code, "Ada");
    const started = nextEvent(ada.socket, "round:started");
    await host.emitWithAck("host:start-round", auth);
    const round = await started;
    h.clock.now += 10_000 + 1_000;
    const late = await ada.socket.emitWithAck("round:answer", {
      roundId: round.roundId,
      itemId: round.items[0]!.itemId,
      verdict: "real",
    });
    expect(late).toMatchObject({ ok: false, code: "TOO_LATE" });

    const intruder = await h.client();
    const forged = await intruder.emitWithAck("host:kick", {
      code: created.code,
      hostToken: "f".repeat(32),
      playerId: ada.playerId,
    });
    expect(forged).toMatchObject({ ok: false, code: "NOT_HOST" });
    const notJoined = await intruder.emitWithAck("round:answer", {
      roundId: round.roundId,
      itemId: round.items[0]!.itemId,
      verdict: "real",
    });
    expect(notJoined).toMatchObject({ ok: false, code: "NOT_JOINED" });
  });

  it("keeps every acknowledged answer and the seat across a server restart", async () => {
    h = await startHarness();
    const { host, created, auth } = await hostWithGenerator(h, { roundSize: 4, roundSeconds: 60 });
    const ada = await join(h, created.code, "Ada");
    const started = nextEvent(ada.socket, "round:started");
    await host.emitWithAck("host:start-round", auth);
    const round = await started;
    const acked: string[] = [];
    for (const item of round.items.slice(0, 3)) {
      const ack = await ada.socket.emitWithAck("round:answer", {
        roundId: round.roundId,
        itemId: item.itemId,
        verdict: "fake",
      });
      if (ack.ok) acked.push(item.itemId);
    }
    expect(acked).toHaveLength(3);
    const dbUrl = h.dbUrl;
    await h.stop();

    h = await startHarness(dbUrl, { migrate: false });
    const back = await h.client();
    const resumed = nextEvent(back, "round:resume");
    const rejoin = await back.emitWithAck("room:join", {
      protocolVersion: PROTOCOL_VERSION,
      code: created.code,
      nickname: "Ada",
      seatToken: ada.seatToken,
    });
    expect(rejoin.ok && rejoin.data.playerId).toBe(ada.playerId);
    const view = await resumed;
    expect(view.answered.map((a) => a.itemId).sort()).toEqual([...acked].sort());
    const last = await back.emitWithAck("round:answer", {
      roundId: round.roundId,
      itemId: round.items[3]!.itemId,
      verdict: "real",
    });
    expect(last.ok).toBe(true);
    expect(await h.db.answer.count()).toBe(4);
  });

  it("gives a reloaded projector the running round and, after the reveal, the results", async () => {
    h = await startHarness();
    const { created, auth } = await hostWithGenerator(h, { roundSize: 4 });
    const ada = await join(h, created.code, "Ada");
    const started = nextEvent(ada.socket, "round:started");
    const first = await h.client();
    await first.emitWithAck("host:start-round", auth);
    const round = await started;

    const reloaded = await h.client();
    const replay = nextEvent(reloaded, "round:started");
    const resumed = await reloaded.emitWithAck("host:resume", {
      protocolVersion: PROTOCOL_VERSION,
      ...auth,
    });
    expect(resumed.ok).toBe(true);
    expect((await replay).roundId).toBe(round.roundId);

    await reloaded.emitWithAck("host:reveal", auth);
    const again = await h.client();
    const reveal = nextEvent(again, "round:revealed");
    const stats = nextEvent(again, "stats:update");
    await again.emitWithAck("host:resume", { protocolVersion: PROTOCOL_VERSION, ...auth });
    expect((await reveal).roundId).toBe(round.roundId);
    expect((await stats).byRound).toHaveLength(1);
  });

  it("answers garbage with an error event and keeps the connection usable", async () => {
    h = await startHarness();
    const socket: Client = await h.client();
    const errors: { code: string }[] = [];
    socket.on("error", (e) => errors.push(e));
    // @ts-expect-error deliberately malformed payload
    const bad = await socket.emitWithAck("room:create", { protocolVersion: "one" });
    expect(bad).toMatchObject({ ok: false, code: "BAD_PAYLOAD" });
    (socket.emit as (e: string, p: unknown) => void)("no:such-event", { x: 1 });
    await new Promise((r) => setTimeout(r, 100));
    expect(errors.map((e) => e.code)).toEqual(["BAD_PAYLOAD", "UNKNOWN_EVENT"]);
    const good = await socket.emitWithAck("room:create", { protocolVersion: PROTOCOL_VERSION });
    expect(good.ok).toBe(true);
  });
});
