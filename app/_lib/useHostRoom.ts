// The teacher's side of a room: create or resume with the host token, mirror the room state,
// the current round and the reveal, and send host actions. Every action carries {code, hostToken}.
"use client";

import { useCallback, useEffect, useMemo, useReducer, useRef } from "react";
import {
  ErrorCode,
  PROTOCOL_VERSION,
  type ClientAckData,
  type ClientPayload,
  type RoomSettings,
  type CriticData,
  type RoomState,
  type TrainingMetrics,
} from "@/lib/protocol";
import { hostReducer, initialHostView } from "./hostView";
import {
  asBytes,
  connectRoomSocket,
  messageFor,
  normaliseRound,
  request,
  type RequestResult,
  type RoomSocket,
} from "./socket";
import { loadHostToken, saveHostToken } from "./storage";

export type { HostStage, HostView } from "./hostView";

export function useHostRoom(initialCode: string | null, onCriticData?: (data: CriticData) => void) {
  const [view, dispatch] = useReducer(hostReducer, initialHostView);
  const criticListener = useRef(onCriticData);
  useEffect(() => {
    criticListener.current = onCriticData;
  });
  const socketRef = useRef<RoomSocket | null>(null);
  const auth = useRef<{ code: string; hostToken: string } | null>(null);

  const resume = useCallback(async () => {
    const socket = socketRef.current;
    const a = auth.current;
    if (!socket || !a) return;
    const res = await request(socket, "host:resume", { protocolVersion: PROTOCOL_VERSION, ...a });
    if (res.ok) dispatch({ type: "room", room: res.data, at: Date.now() });
    else if (res.code === ErrorCode.NotHost || res.code === ErrorCode.RoomNotFound) {
      saveHostToken(a.code, null);
      auth.current = null;
      dispatch({ type: "stage", stage: "no-token", message: messageFor(res) });
    } else if (res.code === ErrorCode.RoomEnded) {
      dispatch({ type: "stage", stage: "ended", message: messageFor(res) });
    } else if (res.code === ErrorCode.StaleClient) {
      dispatch({ type: "stage", stage: "fatal", message: messageFor(res) });
    } else dispatch({ type: "message", message: messageFor(res) });
  }, []);

  useEffect(() => {
    const socket = connectRoomSocket();
    socketRef.current = socket;
    if (initialCode) {
      const token = loadHostToken(initialCode);
      if (token) {
        auth.current = { code: initialCode, hostToken: token };
        dispatch({ type: "stage", stage: "resuming", code: initialCode });
      } else dispatch({ type: "stage", stage: "no-token", code: initialCode });
    }
    socket.on("connect", () => {
      dispatch({ type: "online", online: true });
      if (auth.current) void resume();
    });
    socket.on("disconnect", () => dispatch({ type: "online", online: false }));
    socket.on("room:state", (room) => dispatch({ type: "room", room, at: Date.now() }));
    socket.on("round:started", (round) =>
      dispatch({ type: "round", round: normaliseRound(round), at: Date.now() }),
    );
    socket.on("round:progress", (progress) => dispatch({ type: "progress", progress }));
    socket.on("round:revealed", (reveal) => dispatch({ type: "reveal", reveal }));
    socket.on("stats:update", (stats) => dispatch({ type: "stats", stats }));
    socket.on("critic:data", (data) =>
      criticListener.current?.({
        ...data,
        items: data.items.map((it) => ({ ...it, image: asBytes(it.image) })),
      }),
    );
    return () => {
      socket.removeAllListeners();
      socket.disconnect();
      socketRef.current = null;
    };
  }, [initialCode, resume]);

  const create = useCallback(async (settings?: Partial<RoomSettings>) => {
    const socket = socketRef.current;
    if (!socket) return null;
    dispatch({ type: "stage", stage: "creating" });
    const res = await request(socket, "room:create", {
      protocolVersion: PROTOCOL_VERSION,
      ...(settings ? { settings } : {}),
    });
    if (!res.ok) {
      dispatch({ type: "stage", stage: "idle", message: messageFor(res) });
      return null;
    }
    auth.current = { code: res.data.code, hostToken: res.data.hostToken };
    saveHostToken(res.data.code, res.data.hostToken);
    dispatch({ type: "stage", stage: "hosting", code: res.data.code });
    dispatch({ type: "room", room: res.data.state, at: Date.now() });
    return res.data.code;
  }, []);

  /** Sends a host action; a refusal is shown as the page message and returned. */
  const act = useCallback(
    async <E extends HostEvent>(
      event: E,
      extra: HostExtra<E>,
    ): Promise<RequestResult<ClientAckData[E]>> => {
      const socket = socketRef.current;
      const a = auth.current;
      if (!socket || !a)
        return { ok: false, code: ErrorCode.NotHost, message: "Not hosting a room." };
      const payload = { ...a, ...extra } as ClientPayload<E>;
      const res = await request(socket, event, payload, { timeoutMs: 8000, retries: 1 });
      if (event.startsWith("trainer:")) return res;
      if (res.ok) {
        dispatch({ type: "message", message: null });
        const data: unknown = res.data;
        if (isRoomState(data)) dispatch({ type: "room", room: data, at: Date.now() });
      } else dispatch({ type: "message", message: messageFor(res) });
      return res;
    },
    [],
  );

  const uploads = useMemo(
    () => ({
      snapshot: (step: number, weights: Uint8Array) => act("trainer:snapshot", { step, weights }),
      metrics: (metrics: TrainingMetrics[]) => act("trainer:metrics", { metrics }),
      fakes: (step: number, images: Uint8Array) => act("trainer:fakes", { step, images }),
    }),
    [act],
  );

  return {
    view,
    create,
    act,
    uploads,
    dismissMessage: () => dispatch({ type: "message", message: null }),
  };
}

type HostEvent =
  | "host:settings"
  | "host:start-round"
  | "host:reveal"
  | "host:kick"
  | "host:lock"
  | "host:end"
  | "host:forge"
  | "trainer:snapshot"
  | "trainer:metrics"
  | "trainer:fakes";

/** The payload of a host event without the credentials the hook adds. */
type HostExtra<E extends HostEvent> = Omit<ClientPayload<E>, "code" | "hostToken">;

function isRoomState(data: unknown): data is RoomState {
  return typeof data === "object" && data !== null && "status" in data && "players" in data;
}
