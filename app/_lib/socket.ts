// The browser's socket.io connection and a request helper with timeouts and retries. The server
// is idempotent for every event we retry (answers have a unique key per item and player), so a
// lost acknowledgement is safe to repeat.
"use client";

import { io, type Socket } from "socket.io-client";
import * as parser from "socket.io-parser";
import {
  errorMessages,
  type Ack,
  type ClientAckData,
  type ClientEventName,
  type ClientPayload,
  type ClientToServerEvents,
  type RoundStartedView,
  type ServerToClientEvents,
} from "@/lib/protocol";

export type RoomSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A request that never got an answer (offline or the server is unreachable). */
export const TIMEOUT = "TIMEOUT" as const;
export type RequestResult<T> = Ack<T> | { ok: false; code: typeof TIMEOUT; message: string };

/**
 * round:started carries one binary attachment per image, and socket.io's decoder refuses more
 * than 10 attachments per packet by default: rounds go up to 30 images.
 */
class RoundDecoder extends parser.Decoder {
  constructor() {
    super({ maxAttachments: 64 });
  }
}
export const roundParser = { ...parser, Decoder: RoundDecoder };

export function connectRoomSocket(): RoomSocket {
  return io({
    parser: roundParser,
    path: "/socket.io/",
    transports: ["websocket"],
    reconnectionDelay: 500,
    reconnectionDelayMax: 4000,
    // An attempt that hangs (the network is still gone) is given up after 5 s, not socket.io's
    // 20 s, and the next one starts. A silent drop is noticed by the server's heartbeat
    // (server/realtime.ts: 3.5–5.5 s) and by this client after 5.5 s without a ping.
    timeout: 5000,
    // Students keep their seat with a token, not with socket.io's short-lived session.
    forceNew: true,
  });
}

export interface RequestOptions {
  timeoutMs?: number;
  /** Extra attempts after a timeout (never after an answer, even a refusal). */
  retries?: number;
}

/** Emits an event and resolves with the server's ack, retrying on timeout only. */
export async function request<E extends ClientEventName>(
  socket: RoomSocket,
  event: E,
  payload: ClientPayload<E>,
  { timeoutMs = 5000, retries = 3 }: RequestOptions = {},
): Promise<RequestResult<ClientAckData[E]>> {
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (!socket.connected) await waitForConnect(socket, timeoutMs);
    if (!socket.connected) continue;
    try {
      // The typed overloads of emitWithAck cannot follow a generic event name.
      const timed = socket.timeout(timeoutMs) as unknown as {
        emitWithAck(e: E, p: ClientPayload<E>): Promise<Ack<ClientAckData[E]>>;
      };
      return await timed.emitWithAck(event, payload);
    } catch {
      // timed out: try again
    }
  }
  return { ok: false, code: TIMEOUT, message: "No answer from the server. Check the connection." };
}

function waitForConnect(socket: RoomSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      socket.off("connect", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.on("connect", done);
  });
}

export function messageFor(res: { code: string; message?: string }): string {
  if (res.message) return res.message;
  return (errorMessages as Record<string, string>)[res.code] ?? "Something went wrong.";
}

/** Binary arrives in the browser as ArrayBuffer whatever the sender typed; views it as bytes. */
export function asBytes(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** A round as received, with every image as a Uint8Array. */
export function normaliseRound<R extends RoundStartedView>(round: R): R {
  return { ...round, items: round.items.map((it) => ({ ...it, image: asBytes(it.image) })) };
}
