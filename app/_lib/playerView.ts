// A student's view of the room as plain data and the pure reducer that updates it from server
// messages and local actions. usePlayerRoom wires it to the socket.
import type {
  PlayerRevealView,
  PlayerRoundView,
  RevealView,
  RoomState,
  RoundStartedView,
  Verdict,
  WaitingForgery,
} from "@/lib/protocol";
import { clockOffset } from "./clock";
import type { SeatRecord } from "./storage";

export type AnswerStatus = "sending" | "accepted" | "rejected";
export interface LocalAnswer {
  verdict: Verdict;
  status: AnswerStatus;
  error?: string;
}

export type PlayerStage =
  "loading" | "nickname" | "joining" | "joined" | "kicked" | "ended" | "fatal";

export interface PlayerView {
  online: boolean;
  /** True once the socket has connected at least once (before that, "offline" is just loading). */
  everConnected: boolean;
  stage: PlayerStage;
  me: SeatRecord | null;
  room: RoomState | null;
  round: RoundStartedView | null;
  answers: Record<string, LocalAnswer>;
  /** The room's reveal (truth, police, leaderboard) and this student's own result. */
  reveal: RevealView | null;
  result: PlayerRevealView | null;
  /** This student's forgery no round has played yet (from the join reply or the last submit). */
  forgery: WaitingForgery | null;
  offset: number;
  joinError: string | null;
  message: string | null;
}

export type PlayerAction =
  | { type: "online"; online: boolean }
  | { type: "stage"; stage: PlayerStage; message?: string | null; joinError?: string | null }
  // `at`: local Date.now() when the message arrived, for the clock offset.
  | {
      type: "joined";
      me: SeatRecord;
      room: RoomState;
      at: number;
      forgery?: WaitingForgery | null;
    }
  | { type: "forged"; forgery: WaitingForgery }
  | { type: "room"; room: RoomState; at: number }
  | { type: "round"; round: RoundStartedView | PlayerRoundView; at: number }
  | { type: "reveal"; reveal: RevealView }
  | { type: "result"; result: PlayerRevealView }
  | { type: "answer"; itemId: string; answer: LocalAnswer };

export const initialPlayerView: PlayerView = {
  online: false,
  everConnected: false,
  stage: "loading",
  me: null,
  room: null,
  round: null,
  answers: {},
  reveal: null,
  result: null,
  forgery: null,
  offset: 0,
  joinError: null,
  message: null,
};

export function playerReducer(s: PlayerView, a: PlayerAction): PlayerView {
  switch (a.type) {
    case "online":
      return { ...s, online: a.online, everConnected: s.everConnected || a.online };
    case "stage":
      return {
        ...s,
        stage: a.stage,
        message: a.message ?? null,
        joinError: a.joinError === undefined ? s.joinError : a.joinError,
      };
    case "joined":
      return {
        ...applyRoom(s, a.room, a.at),
        stage: "joined",
        me: a.me,
        forgery: a.forgery ?? null,
        joinError: null,
        message: null,
      };
    case "forged":
      return { ...s, forgery: a.forgery };
    case "room":
      return applyRoom(s, a.room, a.at);
    case "round": {
      const same = s.round?.roundId === a.round.roundId;
      const answers: Record<string, LocalAnswer> = same ? { ...s.answers } : {};
      if ("answered" in a.round) {
        for (const given of a.round.answered) {
          answers[given.itemId] = { verdict: given.verdict, status: "accepted" };
        }
      }
      return {
        ...s,
        round: a.round,
        answers,
        reveal: s.reveal?.roundId === a.round.roundId ? s.reveal : null,
        result: s.result?.roundId === a.round.roundId ? s.result : null,
        offset: clockOffset(a.round.serverNow, a.at),
      };
    }
    case "reveal":
      return { ...s, reveal: a.reveal };
    case "result": {
      // The round played this student's waiting forgery: it no longer waits.
      const played = a.result.forgeries.some((f) => f.forgeryId === s.forgery?.forgeryId);
      return { ...s, result: a.result, forgery: played ? null : s.forgery };
    }
    case "answer":
      return { ...s, answers: { ...s.answers, [a.itemId]: a.answer } };
  }
}

function applyRoom(s: PlayerView, room: RoomState, at: number): PlayerView {
  const next = { ...s, room, offset: clockOffset(room.serverNow, at) };
  if (room.status === "ended" && s.stage !== "kicked") next.stage = "ended";
  return next;
}
