// Shared pieces of the reliability tests and benchmarks: real socket.io clients on loopback, a
// room with a generator, students joining, and small statistics. No test framework in here, so
// the Vitest files and the bench scripts use the same code.
import { io, type Socket } from "socket.io-client";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS } from "../../lib/gan/config";
import { IMAGE_PIXELS } from "../../lib/gan/dataset";
import { encodeSnapshot } from "../../lib/gan/snapshot";
import { createGan, dispose } from "../../lib/gan/train";
import {
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type HostToken,
  type RoomSettings,
  type RoundStartedView,
  type ServerToClientEvents,
} from "../../lib/protocol";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ClientOptions = Parameters<typeof io>[1];

export interface HostAuth {
  code: string;
  hostToken: HostToken;
}

export interface Student {
  socket: Client;
  playerId: string;
  seatToken: string;
  nickname: string;
}

/** A connected client; rejects on a refused handshake (rate limit, origin, server down). */
export function connectClient(url: string, opts: ClientOptions = {}): Promise<Client> {
  const socket: Client = io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    ...opts,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

let snapshotBytes: Uint8Array | null = null;

/** A real snapshot of a freshly initialised tiny GAN, made once per process. */
export async function tinySnapshotBytes(): Promise<Uint8Array> {
  if (snapshotBytes) return snapshotBytes;
  await tf.setBackend("cpu");
  const gan = createGan(PRESETS.tiny, 7);
  snapshotBytes = encodeSnapshot(gan, 5);
  dispose(gan);
  return snapshotBytes;
}

/** A room whose police has a snapshot and whose counterfeiter has uploaded fakes. */
export async function openRoom(
  host: Client,
  settings: Partial<RoomSettings> = {},
): Promise<HostAuth> {
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings,
  });
  if (!created.ok) throw new Error(`room:create failed: ${created.code}`);
  const auth = { code: created.data.code, hostToken: created.data.hostToken };
  const snap = await host.emitWithAck("trainer:snapshot", {
    ...auth,
    step: 5,
    weights: await tinySnapshotBytes(),
  });
  if (!snap.ok) throw new Error(`trainer:snapshot failed: ${snap.code}`);
  const images = new Uint8Array(64 * IMAGE_PIXELS).map((_, i) => (i * 7919) % 256);
  const fakes = await host.emitWithAck("trainer:fakes", { ...auth, step: 5, images });
  if (!fakes.ok) throw new Error(`trainer:fakes failed: ${fakes.code}`);
  return auth;
}

export async function joinRoom(
  socket: Client,
  code: string,
  nickname: string,
  seatToken?: string,
): Promise<Student> {
  const res = await socket.emitWithAck("room:join", {
    protocolVersion: PROTOCOL_VERSION,
    code,
    nickname,
    ...(seatToken ? { seatToken } : {}),
  });
  if (!res.ok) throw new Error(`room:join failed: ${res.code}`);
  return { socket, playerId: res.data.playerId, seatToken: res.data.seatToken, nickname };
}

/** Starts a round and resolves with the view each listed socket received. */
export async function startRound(
  host: Client,
  auth: HostAuth,
  sockets: Client[],
): Promise<RoundStartedView[]> {
  const started = sockets.map((s) => nextMessage(s, "round:started"));
  const ack = await host.emitWithAck("host:start-round", auth);
  if (!ack.ok) throw new Error(`host:start-round failed: ${ack.code}`);
  return Promise.all(started);
}

export function nextMessage<E extends keyof ServerToClientEvents>(
  socket: Client,
  event: E,
  timeoutMs = 15_000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no ${event} within ${timeoutMs} ms`)),
      timeoutMs,
    );
    socket.once(
      event as never,
      ((payload: unknown) => {
        clearTimeout(timer);
        resolve(payload as never);
      }) as never,
    );
  });
}

export function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Resolves when `socket` is disconnected (at once if it already is). */
export function disconnected(socket: Client): Promise<string> {
  if (socket.disconnected) return Promise.resolve("already disconnected");
  return new Promise((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
}
