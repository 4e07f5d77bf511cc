// The teacher's view of the room as plain data and the pure reducer that updates it from server
// messages. useHostRoom wires it to the socket.
import type {
  RevealView,
  RoomState,
  RoundProgress,
  RoundStartedView,
  StatsSeries,
} from "@/lib/protocol";
import { clockOffset } from "./clock";

export type HostStage =
  "idle" | "creating" | "resuming" | "hosting" | "no-token" | "ended" | "fatal";

export interface HostView {
  online: boolean;
  stage: HostStage;
  code: string | null;
  room: RoomState | null;
  round: RoundStartedView | null;
  progress: RoundProgress | null;
  reveal: RevealView | null;
  /** Class vs police error rates with intervals, per round and per generator step. */
  stats: StatsSeries | null;
  offset: number;
  message: string | null;
}

export type HostAction =
  | { type: "online"; online: boolean }
  | { type: "stage"; stage: HostStage; message?: string | null; code?: string | null }
  // `at`: local Date.now() when the message arrived, for the clock offset.
  | { type: "room"; room: RoomState; at: number }
  | { type: "round"; round: RoundStartedView; at: number }
  | { type: "progress"; progress: RoundProgress }
  | { type: "reveal"; reveal: RevealView }
  | { type: "stats"; stats: StatsSeries }
  | { type: "message"; message: string | null };

export const initialHostView: HostView = {
  online: false,
  stage: "idle",
  code: null,
  room: null,
  round: null,
  progress: null,
  reveal: null,
  stats: null,
  offset: 0,
  message: null,
};

export function hostReducer(s: HostView, a: HostAction): HostView {
  switch (a.type) {
    case "online":
      return { ...s, online: a.online };
    case "stage":
      return {
        ...s,
        stage: a.stage,
        message: a.message ?? null,
        code: a.code === undefined ? s.code : a.code,
      };
    case "room": {
      const next: HostView = { ...s, room: a.room, offset: clockOffset(a.room.serverNow, a.at) };
      if (a.room.status === "ended") next.stage = "ended";
      else if (s.stage !== "hosting") next.stage = "hosting";
      return next;
    }
    case "round": {
      const same = s.round?.roundId === a.round.roundId;
      return {
        ...s,
        round: a.round,
        progress: same ? s.progress : null,
        reveal: s.reveal?.roundId === a.round.roundId ? s.reveal : null,
        offset: clockOffset(a.round.serverNow, a.at),
      };
    }
    case "progress":
      return { ...s, progress: a.progress };
    case "reveal":
      return { ...s, reveal: a.reveal };
    case "stats":
      return { ...s, stats: a.stats };
    case "message":
      return { ...s, message: a.message };
  }
}
