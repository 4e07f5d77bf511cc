// The browser's views of a room (student and teacher) as pure reducers over server messages.
import { describe, expect, it } from "vitest";
import { hostReducer, initialHostView, type HostView } from "@/app/_lib/hostView";
import { initialPlayerView, playerReducer, type PlayerView } from "@/app/_lib/playerView";
import { remainingMs } from "@/app/_lib/clock";
import {
  DEFAULT_ROOM_SETTINGS,
  type PlayerRevealView,
  type PlayerRoundView,
  type RevealView,
  type RoomState,
  type RoundStartedView,
} from "@/lib/protocol";

const image = new Uint8Array(784);

function room(patch: Partial<RoomState> = {}): RoomState {
  return {
    code: "ABC234",
    status: "lobby",
    locked: false,
    settings: DEFAULT_ROOM_SETTINGS,
    players: [],
    round: null,
    trainer: { connected: true, step: 12, hasGenerator: true },
    serverNow: 1_000_000,
    ...patch,
  };
}

function round(id: string, serverNow = 1_000_000): RoundStartedView {
  return {
    roundId: id as RoundStartedView["roundId"],
    index: 0,
    deadline: serverNow + 20_000,
    serverNow,
    items: ["a", "b", "c"].map((itemId) => ({
      itemId: itemId as RoundStartedView["items"][number]["itemId"],
      image,
    })),
  };
}

function resume(
  id: string,
  answered: { itemId: string; verdict: "real" | "fake" }[],
): PlayerRoundView {
  return { ...round(id), answered, revealed: false } as unknown as PlayerRoundView;
}

const joined = (s: PlayerView): PlayerView =>
  playerReducer(s, {
    type: "joined",
    me: { seatToken: "t".repeat(20), nickname: "Ada", playerId: "p1" },
    room: room(),
    at: 1_000_000,
  });

describe("student view", () => {
  it("restores the answers the server holds when the round resumes after a reload", () => {
    let s = joined(initialPlayerView);
    s = playerReducer(s, {
      type: "round",
      round: resume("r1", [{ itemId: "b", verdict: "fake" }]),
      at: 1_000_000,
    });
    expect(s.answers).toEqual({ b: { verdict: "fake", status: "accepted" } });
  });

  it("keeps answers still in flight when the same round is resent", () => {
    let s = joined(initialPlayerView);
    s = playerReducer(s, { type: "round", round: round("r1"), at: 1_000_000 });
    s = playerReducer(s, {
      type: "answer",
      itemId: "a",
      answer: { verdict: "real", status: "sending" },
    });
    s = playerReducer(s, {
      type: "round",
      round: resume("r1", [{ itemId: "c", verdict: "real" }]),
      at: 1_000_500,
    });
    expect(s.answers.a).toEqual({ verdict: "real", status: "sending" });
    expect(s.answers.c).toEqual({ verdict: "real", status: "accepted" });
  });

  it("keeps the waiting forgery from the join reply or a submit until a result shows it played", () => {
    const waiting = { forgeryId: "f1", step: 40, image, suspicion: 0.3 };
    let s = playerReducer(initialPlayerView, {
      type: "joined",
      me: { seatToken: "t".repeat(20), nickname: "Ada", playerId: "p1" },
      room: room(),
      at: 1_000_000,
      forgery: waiting,
    });
    expect(s.forgery).toEqual(waiting);
    s = playerReducer(s, { type: "forged", forgery: { ...waiting, forgeryId: "f2" } });
    expect(s.forgery?.forgeryId).toBe("f2");
    const result = (forgeryIds: string[]) =>
      ({
        roundId: "r1",
        items: [],
        forgeries: forgeryIds.map((forgeryId) => ({ forgeryId, image })),
      }) as unknown as PlayerRevealView;
    // A round that played another (older) forgery of hers leaves the new one waiting.
    s = playerReducer(s, { type: "result", result: result(["f1"]) });
    expect(s.forgery?.forgeryId).toBe("f2");
    s = playerReducer(s, { type: "result", result: result(["f2"]) });
    expect(s.forgery).toBeNull();
    expect(joined(initialPlayerView).forgery).toBeNull();
  });

  it("starts a new round with no answers and no reveal", () => {
    let s = joined(initialPlayerView);
    s = playerReducer(s, { type: "round", round: round("r1"), at: 1_000_000 });
    s = playerReducer(s, {
      type: "answer",
      itemId: "a",
      answer: { verdict: "real", status: "accepted" },
    });
    s = playerReducer(s, {
      type: "reveal",
      reveal: { roundId: "r1" } as unknown as RevealView,
    });
    s = playerReducer(s, { type: "round", round: round("r2"), at: 1_030_000 });
    expect(s.answers).toEqual({});
    expect(s.reveal).toBeNull();
  });

  it("moves to the ended screen when the room ends, but a kicked student stays kicked", () => {
    const ended = playerReducer(joined(initialPlayerView), {
      type: "room",
      room: room({ status: "ended" }),
      at: 1,
    });
    expect(ended.stage).toBe("ended");
    const kicked = playerReducer(joined(initialPlayerView), { type: "stage", stage: "kicked" });
    expect(
      playerReducer(kicked, { type: "room", room: room({ status: "ended" }), at: 1 }).stage,
    ).toBe("kicked");
  });

  it("counts down by the server's clock even when the phone's clock is wrong", () => {
    // The phone's clock is 5 minutes behind the server's.
    const localNow = 1_000_000 - 300_000;
    const s = playerReducer(joined(initialPlayerView), {
      type: "round",
      round: round("r1"),
      at: localNow,
    });
    expect(remainingMs(s.round!.deadline, s.offset, localNow + 5_000)).toBe(15_000);
  });
});

describe("teacher view", () => {
  const hosting = (): HostView =>
    hostReducer(initialHostView, { type: "room", room: room(), at: 1_000_000 });

  it("starts hosting on the first room state and ends with the room", () => {
    const s = hosting();
    expect(s.stage).toBe("hosting");
    expect(hostReducer(s, { type: "room", room: room({ status: "ended" }), at: 2 }).stage).toBe(
      "ended",
    );
  });

  it("forgets the previous round's progress and reveal when a new round starts", () => {
    let s = hostReducer(hosting(), { type: "round", round: round("r1"), at: 1_000_000 });
    s = hostReducer(s, {
      type: "progress",
      progress: { roundId: "r1", answers: 3, expected: 9 } as HostView["progress"] & object,
    });
    expect(s.progress?.answers).toBe(3);
    s = hostReducer(s, { type: "round", round: round("r2"), at: 1_030_000 });
    expect(s.progress).toBeNull();
    expect(s.reveal).toBeNull();
  });
});
