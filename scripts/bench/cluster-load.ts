// The simulated class for `npm run bench:cluster`: hosts and students as socket.io clients, rooms
// spread over the cluster's processes, a round played item by item as scripts/bench-room.ts plays
// it (every student answers item k within ANSWER_SPREAD_MS of the others, then item k + 1).
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
  type RoundStartedView,
  type ServerToClientEvents,
} from "../../lib/protocol";

export type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
export const ROUND_ITEMS = 10;
export const ANSWER_SPREAD_MS = 300;
const PHASE_TIMEOUT_MS = 180_000;

export function quantile(values: number[], q: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

export function within<T>(p: Promise<T>, what: string, ms = PHASE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms);
    }),
  ]);
}

export function connect(url: string): Promise<Client> {
  const socket: Client = io(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}

let snapshot: Uint8Array | null = null;
async function tinySnapshot(): Promise<Uint8Array> {
  if (!snapshot) {
    await tf.setBackend("cpu");
    const gan = createGan(PRESETS.tiny, 1);
    snapshot = encodeSnapshot(gan, 1);
    dispose(gan);
  }
  return snapshot;
}

export interface Room {
  code: string;
  auth: { code: string; hostToken: string };
  host: Client;
  students: { socket: Client; node: number; playerId: string; seatToken: string }[];
}

/** A room hosted on `hostUrl`; student i connects to `studentUrl(i)` and joins. */
export async function openRoom(
  hostUrl: string,
  studentUrl: (i: number) => { url: string; node: number },
  n: number,
  opts: { roundSeconds?: number; offset?: number } = {},
): Promise<Room> {
  const host = await connect(hostUrl);
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings: { roundSize: ROUND_ITEMS, roundSeconds: opts.roundSeconds ?? 60 },
  });
  if (!created.ok) throw new Error(`create: ${created.code}`);
  const auth = { code: created.data.code, hostToken: created.data.hostToken };
  await host.emitWithAck("trainer:snapshot", { ...auth, step: 1, weights: await tinySnapshot() });
  const fakes = new Uint8Array(64 * IMAGE_PIXELS).map((_, i) => (i * 7919) % 256);
  await host.emitWithAck("trainer:fakes", { ...auth, step: 1, images: fakes });
  const students: Room["students"] = [];
  const offset = opts.offset ?? 0;
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async (_, j) => {
        const where = studentUrl(i + j);
        const socket = await connect(where.url);
        // The nickname filter reads digits as letters ("455" → "ass"): try another name then.
        for (const nickname of [1, 7, 13].map((k) => `Student ${(offset + i + j) * k}`)) {
          const res = await socket.emitWithAck("room:join", {
            protocolVersion: PROTOCOL_VERSION,
            code: auth.code,
            nickname,
          });
          if (res.ok) {
            const { playerId, seatToken } = res.data;
            return { socket, node: where.node, playerId, seatToken };
          }
          if (res.code !== "NICKNAME_REJECTED") throw new Error(`join failed: ${res.code}`);
        }
        throw new Error("join failed: every nickname rejected");
      }),
    );
    students.push(...batch);
  }
  return { code: auth.code, auth, host, students };
}

export function closeRoom(room: Room): void {
  room.host.disconnect();
  for (const s of room.students) s.socket.disconnect();
}

export interface RoundResult {
  answers: number;
  accepted: number;
  ackMs: number[];
  startMs: number[];
  revealMs: number[];
  wallMs: number;
}

/** Every room plays one round at the same time, item by item. */
export async function playRounds(rooms: Room[]): Promise<RoundResult> {
  const wallStart = performance.now();
  const startEmit = Date.now();
  const views = await within(
    Promise.all(
      rooms.map(async (room) => {
        const started = room.students.map(
          (s) =>
            new Promise<{ view: RoundStartedView; at: number }>((resolve) =>
              s.socket.once("round:started", (view) => resolve({ view, at: Date.now() })),
            ),
        );
        const ack = await room.host.emitWithAck("host:start-round", room.auth);
        if (!ack.ok) throw new Error(`start failed: ${ack.code}`);
        return Promise.all(started);
      }),
    ),
    "round:started delivery",
  );
  const startMs = views.flat().map((v) => v.at - startEmit);
  const ackMs: number[] = [];
  let accepted = 0;
  for (let k = 0; k < ROUND_ITEMS; k++) {
    await within(
      Promise.all(
        rooms.flatMap((room, r) =>
          room.students.map(async (s, i) => {
            const { view } = views[r]![i]!;
            const item = view.items[k]!;
            await new Promise((res) => setTimeout(res, Math.random() * ANSWER_SPREAD_MS));
            const t0 = performance.now();
            const res = await s.socket.emitWithAck("round:answer", {
              roundId: view.roundId,
              itemId: item.itemId,
              verdict: (i + k) % 2 ? "real" : "fake",
            });
            ackMs.push(performance.now() - t0);
            if (res.ok) accepted++;
          }),
        ),
      ),
      `answers to item ${k}`,
    );
  }
  const revealEmit = Date.now();
  const revealMs = (
    await within(
      Promise.all(
        rooms.map(async (room) => {
          const revealed = room.students.map(
            (s) =>
              new Promise<number>((resolve) =>
                s.socket.once("round:revealed", () => resolve(Date.now())),
              ),
          );
          await room.host.emitWithAck("host:reveal", room.auth);
          return Promise.all(revealed);
        }),
      ),
      "reveal delivery",
    )
  )
    .flat()
    .map((t) => t - revealEmit);
  return {
    answers: ackMs.length,
    accepted,
    ackMs,
    startMs,
    revealMs,
    wallMs: performance.now() - wallStart,
  };
}
