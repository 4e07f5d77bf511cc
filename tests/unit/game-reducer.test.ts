import { describe, expect, it } from "vitest";
import {
  ANSWER_GRACE_MS,
  POLICE_ID,
  POLICE_NICKNAME,
  RoomState,
  createGameState,
  playerRoundView,
  reduce,
  resultOf,
  seededRng,
  type GameState,
  type ItemId,
  type PlayerId,
  type Verdict,
} from "./game-test-api";
import {
  T0,
  ctxAt,
  emits,
  ok,
  persists,
  preparedItems,
  roomWithPlayers,
  seatHash,
  payloadOf,
  startRound,
  storedAnswer,
} from "./game-fixtures";

function truthOf(state: GameState, itemId: ItemId): Verdict {
  const item = state.round!.items.find((i) => i.id === itemId)!;
  return item.kind;
}

function answer(
  state: GameState,
  playerId: PlayerId,
  itemId: ItemId,
  verdict: Verdict,
  now: number,
) {
  return reduce(
    state,
    { type: "answer", playerId, roundId: state.round!.id, itemId, verdict },
    ctxAt(now),
  );
}

describe("joining and returning", () => {
  it("gives a new seat a fresh id and persists it before acknowledging", () => {
    const state = createGameState({ roomId: "r", code: "ABC234", now: T0 });
    const t = reduce(
      state,
      { type: "player-join", nickname: "Ada", seatTokenHash: seatHash(1) },
      ctxAt(T0),
    );
    const types = t.effects.map((e) => e.type);
    expect(types.indexOf("persist")).toBeLessThan(types.indexOf("ack"));
    const r = resultOf(t.effects);
    expect(r.ok && r.data.kind === "joined" && !r.data.returning).toBe(true);
    expect(Object.keys(t.state.players)).toHaveLength(1);
  });

  it("refuses a nickname already taken, ignoring case, and the police's name", () => {
    const { state } = roomWithPlayers(1); // "Student 0"
    const clash = reduce(
      state,
      { type: "player-join", nickname: "STUDENT 0", seatTokenHash: seatHash(9) },
      ctxAt(T0),
    );
    expect(resultOf(clash.effects)).toEqual({ ok: false, code: "NICKNAME_TAKEN" });
    expect(clash.state).toBe(state);
    const police = reduce(
      state,
      { type: "player-join", nickname: POLICE_NICKNAME.toUpperCase(), seatTokenHash: seatHash(9) },
      ctxAt(T0),
    );
    expect(resultOf(police.effects)).toEqual({ ok: false, code: "NICKNAME_TAKEN" });
  });

  it("returns a reconnecting seat to the same player with its score and answers, mid-round", () => {
    const { state: lobby, ids } = roomWithPlayers(2);
    const [ada] = ids as [PlayerId];
    let s = startRound(lobby, T0 + 1000).state;
    const items = s.round!.items;
    s = answer(s, ada, items[0]!.id, "real", T0 + 2000).state;
    s = answer(s, ada, items[1]!.id, "fake", T0 + 2500).state;
    s = ok(
      s,
      { type: "player-connection", playerId: ada, connected: false },
      ctxAt(T0 + 3000),
    ).state;
    expect(s.players[ada]!.connected).toBe(false);
    const before = playerRoundView(s, ada, T0 + 4000)!.answered;

    const back = ok(
      s,
      { type: "player-join", nickname: "ignored", seatTokenHash: seatHash(0) },
      ctxAt(T0 + 4000),
    );
    const r = resultOf(back.effects);
    expect(r).toMatchObject({ ok: true, data: { kind: "joined", playerId: ada, returning: true } });
    expect(back.state.players[ada]).toMatchObject({ connected: true, nickname: "Student 0" });
    expect(persists(back.effects)).toHaveLength(0);
    const resume = emits(back.effects).find((e) => e.message.event === "round:resume");
    expect(resume?.to).toEqual({ kind: "player", playerId: ada });
    expect(resume?.message.payload).toMatchObject({ answered: before });
    expect(before).toHaveLength(2);

    // Score survives a reconnect after the reveal too.
    const revealed = ok(back.state, { type: "reveal", by: "host" }, ctxAt(T0 + 5000)).state;
    const score = revealed.players[ada]!.score;
    const off = ok(
      revealed,
      { type: "player-connection", playerId: ada, connected: false },
      ctxAt(T0 + 6000),
    );
    const again = ok(
      off.state,
      { type: "player-join", nickname: "x", seatTokenHash: seatHash(0) },
      ctxAt(T0 + 7000),
    );
    expect(again.state.players[ada]!.score).toBe(score);
    expect(emits(again.effects).map((e) => e.message.event)).toContain("round:result");
  });

  it("admits returning seats but no new ones in a locked room", () => {
    const { state, ids } = roomWithPlayers(2);
    let s = ok(state, { type: "lock", locked: true }, ctxAt(T0)).state;
    s = ok(s, { type: "player-connection", playerId: ids[1]!, connected: false }, ctxAt(T0)).state;
    const fresh = reduce(
      s,
      { type: "player-join", nickname: "Newbie", seatTokenHash: seatHash(50) },
      ctxAt(T0),
    );
    expect(resultOf(fresh.effects)).toEqual({ ok: false, code: "ROOM_LOCKED" });
    expect(fresh.state).toBe(s);
    const back = reduce(
      s,
      { type: "player-join", nickname: "Student 1", seatTokenHash: seatHash(1) },
      ctxAt(T0),
    );
    expect(resultOf(back.effects)).toMatchObject({
      ok: true,
      data: { playerId: ids[1], returning: true },
    });
    const unlocked = ok(s, { type: "lock", locked: false }, ctxAt(T0)).state;
    expect(
      resultOf(
        reduce(
          unlocked,
          { type: "player-join", nickname: "Newbie", seatTokenHash: seatHash(50) },
          ctxAt(T0),
        ).effects,
      ).ok,
    ).toBe(true);
  });
});

describe("kicking", () => {
  it("stops a kicked student from answering and from coming back with the same seat", () => {
    const { state, ids } = roomWithPlayers(2);
    const kid = ids[0]!;
    const kicked = ok(state, { type: "kick", playerId: kid }, ctxAt(T0));
    expect(kicked.effects.some((e) => e.type === "disconnect" && e.playerId === kid)).toBe(true);
    expect(emits(kicked.effects).some((e) => e.message.event === "player:kicked")).toBe(true);
    const s = startRound(kicked.state, T0 + 1000).state;
    const a = answer(s, kid, s.round!.items[0]!.id, "real", T0 + 2000);
    expect(resultOf(a.effects)).toEqual({ ok: false, code: "KICKED" });
    expect(a.state).toBe(s);
    const rejoin = reduce(
      s,
      { type: "player-join", nickname: "Other name", seatTokenHash: seatHash(0) },
      ctxAt(T0),
    );
    expect(resultOf(rejoin.effects)).toEqual({ ok: false, code: "KICKED" });
    // Kicked students leave the leaderboard and the room state.
    const view = payloadOf(kicked.effects, "room:state")!;
    expect(view.players.map((p) => p.id)).not.toContain(kid);
  });
});

describe("settings", () => {
  it("refuses a new round size during a round but accepts λ", () => {
    const { state } = roomWithPlayers(1);
    const s = startRound(state, T0).state;
    expect(
      resultOf(reduce(s, { type: "settings", settings: { roundSize: 12 } }, ctxAt(T0)).effects),
    ).toEqual({
      ok: false,
      code: "ROUND_IN_PROGRESS",
    });
    const lambda = ok(s, { type: "settings", settings: { lambda: 0.5 } }, ctxAt(T0));
    expect(lambda.state.settings.lambda).toBe(0.5);
    expect(
      resultOf(reduce(s, { type: "settings", settings: { lambda: 2 } }, ctxAt(T0)).effects),
    ).toEqual({
      ok: false,
      code: "BAD_PAYLOAD",
    });
  });
});

describe("starting a round", () => {
  it("shuffles the items, gives them unique ids and sets the deadline from the server clock", () => {
    const { state } = roomWithPlayers(1);
    const t = startRound(state, T0 + 10);
    const round = t.state.round!;
    expect(round.deadline).toBe(T0 + 10 + state.settings.roundSeconds * 1000);
    expect(new Set(round.items.map((i) => i.id)).size).toBe(round.items.length);
    expect(round.items.map((i) => i.position).sort((a, b) => a - b)).toEqual([
      ...Array(round.items.length).keys(),
    ]);
    expect(t.effects).toContainEqual({
      type: "schedule-reveal",
      roundId: round.id,
      at: round.deadline + ANSWER_GRACE_MS,
    });
    const types = t.effects.map((e) => e.type);
    expect(types[0]).toBe("persist"); // items exist before anyone can answer them
  });

  it("puts real and fake images in every position equally often", () => {
    const { state } = roomWithPlayers(1);
    const rng = seededRng(4);
    let firstIsReal = 0;
    const rounds = 400;
    for (let i = 0; i < rounds; i++) {
      // Prepared items always arrive real, fake, real, fake…: only the shuffle can mix them.
      const t = ok(
        state,
        { type: "start-round", generatorStep: 1, items: preparedItems(10, rng) },
        ctxAt(T0, rng),
      );
      if (t.state.round!.items[0]!.kind === "real") firstIsReal++;
    }
    // Binomial(400, ½): ±5 standard deviations is 0.375…0.625.
    expect(firstIsReal / rounds).toBeGreaterThan(0.375);
    expect(firstIsReal / rounds).toBeLessThan(0.625);
  });

  it("rejects the wrong number of items, a bad image and a second round at once", () => {
    const { state } = roomWithPlayers(1);
    const few = reduce(
      state,
      { type: "start-round", generatorStep: 1, items: preparedItems(3) },
      ctxAt(T0),
    );
    expect(resultOf(few.effects)).toEqual({ ok: false, code: "BAD_PAYLOAD" });
    const items = preparedItems(state.settings.roundSize);
    items[0] = { ...items[0]!, image: new Uint8Array(10) };
    expect(
      resultOf(reduce(state, { type: "start-round", generatorStep: 1, items }, ctxAt(T0)).effects)
        .ok,
    ).toBe(false);
    const s = startRound(state, T0).state;
    expect(
      resultOf(
        reduce(s, { type: "start-round", generatorStep: 1, items: preparedItems(10) }, ctxAt(T0))
          .effects,
      ),
    ).toEqual({
      ok: false,
      code: "ROUND_IN_PROGRESS",
    });
  });
});

describe("answers", () => {
  it("rejects answers with the right code for each failure", () => {
    const { state, ids } = roomWithPlayers(1);
    const p = ids[0]!;
    const lobby = reduce(
      state,
      { type: "answer", playerId: p, roundId: "x", itemId: "y", verdict: "real" },
      ctxAt(T0),
    );
    expect(resultOf(lobby.effects)).toEqual({ ok: false, code: "NO_ROUND" });
    const s = startRound(state, T0).state;
    const item = s.round!.items[0]!.id;
    const codeOf = (e: Parameters<typeof reduce>[1], now = T0 + 1) =>
      resultOf(reduce(s, e, ctxAt(now)).effects);
    expect(
      codeOf({ type: "answer", playerId: p, roundId: "old", itemId: item, verdict: "real" }),
    ).toEqual({ ok: false, code: "WRONG_ROUND" });
    expect(
      codeOf({
        type: "answer",
        playerId: p,
        roundId: s.round!.id,
        itemId: "nope",
        verdict: "real",
      }),
    ).toEqual({ ok: false, code: "UNKNOWN_ITEM" });
    expect(
      codeOf({
        type: "answer",
        playerId: "ghost" as PlayerId,
        roundId: s.round!.id,
        itemId: item,
        verdict: "real",
      }),
    ).toEqual({ ok: false, code: "NOT_JOINED" });
    expect(
      codeOf({
        type: "answer",
        playerId: POLICE_ID,
        roundId: s.round!.id,
        itemId: item,
        verdict: "real",
      }),
    ).toEqual({ ok: false, code: "NOT_JOINED" });
    const late = s.round!.deadline + ANSWER_GRACE_MS + 1;
    expect(
      codeOf(
        { type: "answer", playerId: p, roundId: s.round!.id, itemId: item, verdict: "real" },
        late,
      ),
    ).toEqual({ ok: false, code: "TOO_LATE" });
    // Within the grace period it still counts, for 100 points without a speed bonus.
    const graced = answer(s, p, item, truthOf(s, item), s.round!.deadline + ANSWER_GRACE_MS);
    expect(resultOf(graced.effects).ok).toBe(true);
    expect(storedAnswer(graced.state, item, p)!.points).toBe(100);
  });

  it("acknowledges a retried identical answer without storing it twice, and refuses a changed one", () => {
    const { state, ids } = roomWithPlayers(1);
    const p = ids[0]!;
    const s0 = startRound(state, T0).state;
    const item = s0.round!.items[0]!.id;
    const first = answer(s0, p, item, "real", T0 + 100);
    expect(persists(first.effects)).toHaveLength(1);
    const retry = answer(first.state, p, item, "real", T0 + 200);
    expect(resultOf(retry.effects)).toMatchObject({ ok: true, data: { duplicate: true } });
    expect(retry.state).toBe(first.state);
    expect(persists(retry.effects)).toHaveLength(0);
    const change = answer(first.state, p, item, "fake", T0 + 300);
    expect(resultOf(change.effects)).toEqual({ ok: false, code: "ALREADY_ANSWERED" });
  });

  it("measures latency on the server clock and banks points only at the reveal", () => {
    const { state, ids } = roomWithPlayers(1);
    const p = ids[0]!;
    const s0 = startRound(state, T0).state;
    const item = s0.round!.items[0]!.id;
    const t = answer(s0, p, item, truthOf(s0, item), T0 + 5000);
    const rec = storedAnswer(t.state, item, p)!;
    expect(rec.latencyMs).toBe(5000);
    expect(rec.points).toBe(100 + Math.round(50 * 0.75));
    expect(t.state.players[p]!.score).toBe(0);
    const revealed = ok(t.state, { type: "reveal", by: "host" }, ctxAt(T0 + 6000)).state;
    expect(revealed.players[p]!.score).toBe(rec.points);
  });
});

describe("the reveal", () => {
  it("scores the police, reports class vs police accuracy and is idempotent", () => {
    const { state, ids } = roomWithPlayers(3);
    let s = startRound(state, T0).state;
    for (const item of s.round!.items) {
      s = answer(s, ids[0]!, item.id, item.kind, T0 + 1000).state; // always right
      s = answer(s, ids[1]!, item.id, item.kind === "real" ? "fake" : "real", T0 + 1000).state; // always wrong
    }
    const t = ok(s, { type: "reveal", by: "host" }, ctxAt(T0 + 2000));
    const view = payloadOf(t.effects, "round:revealed")!;
    expect(view.classAccuracy).toBe(0.5);
    const dRight = t.state.round!.items.filter(
      (i) => (i.dProbability! >= 0.5 ? "real" : "fake") === i.kind,
    ).length;
    expect(view.policeAccuracy).toBeCloseTo(dRight / t.state.round!.items.length);
    expect(view.items.every((i) => i.dVerdict === (i.dProbability! >= 0.5 ? "real" : "fake"))).toBe(
      true,
    );
    expect(view.leaderboard.find((e) => e.isPolice)).toMatchObject({
      playerId: POLICE_ID,
      nickname: POLICE_NICKNAME,
    });
    expect(view.leaderboard[0]!.playerId).toBe(ids[0]);
    expect(t.state.police.score).toBeGreaterThan(0);
    // The student who skipped every image loses any streak; the perfect one keeps it.
    expect(t.state.players[ids[2]!]!.streak).toBe(0);
    expect(t.state.players[ids[0]!]!.streak).toBe(s.round!.items.length);

    const again = reduce(
      t.state,
      { type: "reveal", by: "timer", roundId: s.round!.id },
      ctxAt(T0 + 30_000),
    );
    expect(again.state).toBe(t.state);
    expect(resultOf(again.effects)).toMatchObject({ ok: true, data: { already: true } });
  });

  it("ignores a stale deadline timer from an earlier round", () => {
    const { state } = roomWithPlayers(1);
    const r1 = startRound(state, T0).state;
    const firstId = r1.round!.id;
    const revealed = ok(r1, { type: "reveal", by: "host" }, ctxAt(T0 + 1000)).state;
    const r2 = startRound(revealed, T0 + 2000, seededRng(9)).state;
    const stale = reduce(r2, { type: "reveal", by: "timer", roundId: firstId }, ctxAt(T0 + 20_250));
    expect(stale.state).toBe(r2);
    expect(r2.round!.index).toBe(1);
  });

  it("sends the trainer the class's verdicts and the updated statistics", () => {
    const { state, ids } = roomWithPlayers(2);
    let s = startRound(state, T0).state;
    for (const item of s.round!.items) s = answer(s, ids[0]!, item.id, "real", T0 + 500).state;
    const t = ok(s, { type: "reveal", by: "host" }, ctxAt(T0 + 1000));
    const critic = emits(t.effects).find((e) => e.message.event === "critic:data");
    expect(critic?.to).toEqual({ kind: "host" });
    const payload = payloadOf(t.effects, "critic:data")!;
    expect(payload.items).toHaveLength(s.round!.items.length);
    expect(
      payload.items.every((i) => i.realFraction === 1 && i.n === 1 && i.image.length === 784),
    ).toBe(true);
    expect(t.state.stats.byRound).toHaveLength(1);
    expect(t.state.stats.byStep[0]!.generatorStep).toBe(500);
  });
});

describe("ending", () => {
  it("reveals a round in progress so its answers count, then refuses new seats", () => {
    const { state, ids } = roomWithPlayers(1);
    let s = startRound(state, T0).state;
    const item = s.round!.items[0]!;
    s = answer(s, ids[0]!, item.id, item.kind, T0 + 100).state;
    const t = ok(s, { type: "end" }, ctxAt(T0 + 200));
    expect(t.state.status).toBe("ended");
    expect(t.state.players[ids[0]!]!.score).toBeGreaterThan(0);
    expect(persists(t.effects).map((p) => p.write.kind)).toEqual(["round-revealed", "room"]);
    const join = reduce(
      t.state,
      { type: "player-join", nickname: "Late", seatTokenHash: seatHash(77) },
      ctxAt(T0),
    );
    expect(resultOf(join.effects)).toEqual({ ok: false, code: "ROOM_ENDED" });
  });
});

describe("the trainer's status", () => {
  it("shows the projector whether training runs and whether D exists to play police", () => {
    const { state } = roomWithPlayers(1);
    const t = ok(
      state,
      { type: "trainer", connected: true, step: 1200, hasGenerator: true },
      ctxAt(T0),
    );
    const host = emits(t.effects).find(
      (e) => e.to.kind === "host" && e.message.event === "room:state",
    );
    expect(host?.message.payload).toMatchObject({
      trainer: { connected: true, step: 1200, hasGenerator: true },
    });
    const same = reduce(t.state, { type: "trainer", step: 1200 }, ctxAt(T0));
    expect(same.state).toBe(t.state);
    expect(emits(same.effects)).toHaveLength(0);
    expect(resultOf(reduce(state, { type: "trainer", step: -1 }, ctxAt(T0)).effects)).toEqual({
      ok: false,
      code: "BAD_PAYLOAD",
    });
  });
});

describe("room state view", () => {
  it("matches the wire schema and lists the police as a player", () => {
    const { state } = roomWithPlayers(3);
    const s = startRound(state, T0).state;
    const t = ok(
      s,
      {
        type: "player-connection",
        playerId: Object.keys(s.players)[0] as PlayerId,
        connected: false,
      },
      ctxAt(T0),
    );
    for (const e of emits(t.effects).filter((e) => e.message.event === "room:state")) {
      const parsed = RoomState.parse(e.message.payload);
      expect(parsed.players.filter((p) => p.isPolice)).toHaveLength(1);
      expect(parsed.round).toMatchObject({ itemCount: 10, answers: 0 });
    }
  });
});
