// A student's view of a room: join (or return to a seat), the current round, answers with
// delivery status, the reveal. Renders nothing; the /play page subscribes.
"use client";

import { useCallback, useEffect, useReducer, useRef } from "react";
import { ErrorCode, PROTOCOL_VERSION, errorMessages, type Verdict } from "@/lib/protocol";
import { encodeNoise } from "@/lib/game/forge-rules";
import { initialPlayerView, playerReducer } from "./playerView";
import {
  asBytes,
  connectRoomSocket,
  messageFor,
  normaliseRound,
  request,
  type RoomSocket,
} from "./socket";
import { loadSeat, saveSeat } from "./storage";

export type { AnswerStatus, LocalAnswer, PlayerStage, PlayerView } from "./playerView";

/** The server's reply to a forgery: the image it drew from the vector, or why it refused. */
export type ForgeResult =
  | { ok: true; image: Uint8Array; suspicion: number | null; replaced: boolean }
  | { ok: false; code: string; message: string };

/** Codes after which a stored seat is worthless and the student must join afresh. */
const SEAT_LOST: readonly string[] = [
  ErrorCode.RoomNotFound,
  ErrorCode.NicknameRejected,
  ErrorCode.BadPayload,
];

export function usePlayerRoom(code: string) {
  const [view, dispatch] = useReducer(playerReducer, initialPlayerView);
  const socketRef = useRef<RoomSocket | null>(null);
  const viewRef = useRef(view);
  useEffect(() => {
    viewRef.current = view;
  });

  const sendJoin = useCallback(
    async (nickname: string, seatToken?: string) => {
      const socket = socketRef.current;
      if (!socket) return false;
      const res = await request(socket, "room:join", {
        protocolVersion: PROTOCOL_VERSION,
        code,
        nickname,
        ...(seatToken ? { seatToken } : {}),
      });
      if (res.ok) {
        const me = {
          seatToken: res.data.seatToken,
          nickname: res.data.nickname,
          playerId: res.data.playerId,
        };
        saveSeat(code, me);
        const waiting = res.data.forgery;
        dispatch({
          type: "joined",
          me,
          room: res.data.state,
          at: Date.now(),
          forgery: waiting ? { ...waiting, image: asBytes(waiting.image) } : null,
        });
        return true;
      }
      const message = messageFor(res);
      if (res.code === ErrorCode.Kicked) {
        saveSeat(code, null);
        dispatch({ type: "stage", stage: "kicked", message });
      } else if (res.code === ErrorCode.RoomEnded) {
        saveSeat(code, null);
        dispatch({ type: "stage", stage: "ended", message });
      } else if (res.code === ErrorCode.StaleClient) {
        dispatch({ type: "stage", stage: "fatal", message });
      } else {
        if (seatToken && SEAT_LOST.includes(res.code)) saveSeat(code, null);
        // A returning student whose seat still exists keeps trying on the next reconnect.
        dispatch({ type: "stage", stage: "nickname", joinError: message });
      }
      return false;
    },
    [code],
  );

  useEffect(() => {
    const socket = connectRoomSocket();
    socketRef.current = socket;
    const seat = loadSeat(code);
    if (!seat) dispatch({ type: "stage", stage: "nickname" });

    socket.on("connect", () => {
      dispatch({ type: "online", online: true });
      const stored = loadSeat(code);
      const stage = viewRef.current.stage;
      if (stored && (stage === "loading" || stage === "joined")) {
        void sendJoin(stored.nickname, stored.seatToken);
      }
    });
    socket.on("disconnect", () => dispatch({ type: "online", online: false }));
    socket.on("room:state", (room) => {
      if (room.code === code) dispatch({ type: "room", room, at: Date.now() });
    });
    socket.on("round:started", (round) =>
      dispatch({ type: "round", round: normaliseRound(round), at: Date.now() }),
    );
    socket.on("round:resume", (round) =>
      dispatch({ type: "round", round: normaliseRound(round), at: Date.now() }),
    );
    socket.on("round:revealed", (reveal) => dispatch({ type: "reveal", reveal }));
    socket.on("round:result", (result) => dispatch({ type: "result", result }));
    socket.on("player:kicked", (info) => {
      saveSeat(code, null);
      dispatch({ type: "stage", stage: "kicked", message: errorMessages[info.code] });
      // No seat to return to: stop reconnecting.
      socket.disconnect();
    });
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [code, sendJoin]);

  const join = useCallback(
    async (nickname: string) => {
      dispatch({ type: "stage", stage: "joining", joinError: null });
      // A seat kept after a transient failure is reused, and a first join brings its own fresh
      // token: a retried join (lost ack) then finds its own seat instead of "nickname taken".
      await sendJoin(nickname, loadSeat(code)?.seatToken ?? crypto.randomUUID());
    },
    [code, sendJoin],
  );

  const answer = useCallback(
    async (itemId: string, verdict: Verdict) => {
      const socket = socketRef.current;
      const current = viewRef.current;
      const round = current.round;
      if (!socket || !round) return;
      const previous = current.answers[itemId];
      if (previous && previous.status !== "rejected") return;
      dispatch({ type: "answer", itemId, answer: { verdict, status: "sending" } });
      const payload = { roundId: round.roundId, itemId, verdict };
      let res = await request(socket, "round:answer", payload, { timeoutMs: 4000, retries: 4 });
      if (!res.ok && res.code === ErrorCode.NotJoined) {
        // The connection came back before the seat did: take the seat again, then resend.
        const seat = loadSeat(code);
        if (seat && (await sendJoin(seat.nickname, seat.seatToken))) {
          res = await request(socket, "round:answer", payload, { timeoutMs: 4000, retries: 2 });
        }
      }
      if (res.ok || res.code === ErrorCode.AlreadyAnswered) {
        dispatch({ type: "answer", itemId, answer: { verdict, status: "accepted" } });
      } else {
        dispatch({
          type: "answer",
          itemId,
          answer: { verdict, status: "rejected", error: messageFor(res) },
        });
      }
    },
    [code, sendJoin],
  );

  /** Sends a noise vector (never pixels): the server draws the forgery itself. */
  const forge = useCallback(async (noise: Float32Array, step: number): Promise<ForgeResult> => {
    const socket = socketRef.current;
    if (!socket) return { ok: false, code: "OFFLINE", message: "Not connected." };
    const res = await request(socket, "forge:submit", { step, noise: encodeNoise(noise) });
    if (!res.ok) return { ok: false, code: res.code, message: messageFor(res) };
    const { forgeryId, step: drawnWith, suspicion } = res.data;
    dispatch({
      type: "forged",
      forgery: { forgeryId, step: drawnWith, suspicion, image: asBytes(res.data.image) },
    });
    return {
      ok: true,
      image: asBytes(res.data.image),
      suspicion: res.data.suspicion,
      replaced: res.data.replaced,
    };
  }, []);

  return { view, join, answer, forge };
}
