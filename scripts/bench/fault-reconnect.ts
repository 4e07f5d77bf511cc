// Reconnect trial: students in a round lose their connection (every connection cut at once by
// the node:net proxy, as when the classroom Wi-Fi drops) or reload the page (a new socket that
// joins with the stored seat token), again and again. Each time: same seat, same score, every
// acknowledged answer still marked in round:resume, and the time from the cut to being back in
// the round. Clients reconnect with the browser app's socket.io settings (app/_lib/socket.ts).
import { io } from "socket.io-client";
import type { PlayerRoundView, RoomState, RoundStartedView, Verdict } from "../../lib/protocol";
import { startProxy } from "./fault-proxy";
import {
  connectClient,
  joinRoom,
  nextMessage,
  openRoom,
  quantile,
  sleep,
  within,
  type Client,
  type ClientOptions,
  type HostAuth,
} from "./fault-room";

export interface ReconnectOptions {
  /** The game server's port (the proxy forwards to it). */
  serverPort: number;
  students: number;
  cycles: number;
  /** Every n-th cycle is a page reload instead of a network drop. */
  reloadEvery?: number;
  log?: (line: string) => void;
}

export interface ReconnectReport {
  events: number;
  drops: number;
  reloads: number;
  /** Cut (or reload) to round:resume, per event. */
  backMs: number[];
  seatLost: number;
  scoreChanged: number;
  answersMissing: number;
  acked: number;
  roundsPlayed: number;
}

/** The browser app's reconnection settings. */
const APP_SOCKET: ClientOptions = {
  reconnection: true,
  reconnectionDelay: 500,
  reconnectionDelayMax: 4000,
  timeout: 5000,
};

interface Seat {
  nickname: string;
  playerId: string;
  seatToken: string;
  socket: Client;
  score: number;
  /** Resolves with the next round:resume after a (re)join. */
  back: Promise<PlayerRoundView> | null;
  lastState: RoomState | null;
}

export async function reconnectTrial(opts: ReconnectOptions): Promise<ReconnectReport> {
  const log = opts.log ?? (() => undefined);
  const reloadEvery = opts.reloadEvery ?? 4;
  const direct = `http://127.0.0.1:${opts.serverPort}`;
  const proxy = await startProxy(opts.serverPort);
  const report: ReconnectReport = {
    events: 0,
    drops: 0,
    reloads: 0,
    backMs: [],
    seatLost: 0,
    scoreChanged: 0,
    answersMissing: 0,
    acked: 0,
    roundsPlayed: 0,
  };
  const acked = new Map<string, Set<string>>(); // playerId → itemId:verdict
  const sockets: Client[] = [];
  const host = await connectClient(direct);
  sockets.push(host);
  const auth: HostAuth = await openRoom(host, { roundSize: 10, roundSeconds: 120 });

  /** Every (re)connect of a seat's socket re-joins with the token, as the app does. */
  const wire = (seat: Seat) => {
    seat.socket.on("room:state", (s) => (seat.lastState = s));
    seat.socket.on("connect", () => {
      seat.back = nextMessage(seat.socket, "round:resume", 20_000);
      seat.socket
        .emitWithAck("room:join", {
          protocolVersion: 1,
          code: auth.code,
          nickname: seat.nickname,
          seatToken: seat.seatToken,
        })
        .then((res) => {
          if (!res.ok || res.data.playerId !== seat.playerId) report.seatLost++;
          else {
            const me = res.data.state.players.find((p) => p.id === seat.playerId);
            if (!me || me.score !== seat.score) report.scoreChanged++;
          }
        })
        .catch(() => undefined);
    });
  };

  try {
    const seats: Seat[] = [];
    for (let i = 0; i < opts.students; i++) {
      const socket = await connectClient(proxy.url, APP_SOCKET);
      sockets.push(socket);
      const s = await joinRoom(socket, auth.code, `Student ${i}`);
      const seat: Seat = { ...s, score: 0, back: null, lastState: null };
      seats.push(seat);
    }
    // Wired after the first join: from here on every "connect" is a reconnect.
    for (const seat of seats) wire(seat);

    let views = await startRoundFor(host, auth, seats);
    report.roundsPlayed++;
    let k = 0;
    for (let cycle = 1; cycle <= opts.cycles; cycle++) {
      if (k === 10) {
        // Round complete: reveal, let scores settle, start the next.
        await host.emitWithAck("host:reveal", auth);
        await sleep(400);
        for (const seat of seats) {
          const me = seat.lastState?.players.find((p) => p.id === seat.playerId);
          if (me) seat.score = me.score;
        }
        views = await startRoundFor(host, auth, seats);
        report.roundsPlayed++;
        k = 0;
      }
      // Everyone answers the next item and gets the ack before the fault.
      await Promise.all(
        seats.map(async (seat, i) => {
          const view = views.get(seat.playerId)!;
          const item = view.items[k]!;
          const verdict: Verdict = (i + k) % 2 ? "real" : "fake";
          const res = await seat.socket.timeout(10_000).emitWithAck("round:answer", {
            roundId: view.roundId,
            itemId: item.itemId,
            verdict,
          });
          if (res.ok) {
            const mine = acked.get(seat.playerId) ?? new Set<string>();
            mine.add(`${item.itemId}:${verdict}`);
            acked.set(seat.playerId, mine);
          }
        }),
      );
      k++;

      const reload = cycle % reloadEvery === 0;
      const t0 = performance.now();
      if (reload) {
        // The page reloads: the old socket is gone, a new one joins with the stored token.
        for (const seat of seats) {
          seat.socket.removeAllListeners();
          seat.socket.close();
          seat.socket = io(proxy.url, {
            transports: ["websocket"],
            forceNew: true,
            ...APP_SOCKET,
          });
          sockets.push(seat.socket);
          wire(seat);
        }
        report.reloads += seats.length;
      } else {
        proxy.dropAll();
        report.drops += seats.length;
      }
      report.events += seats.length;
      // Wait for every seat to be back in the round, and check what came back.
      await within(
        Promise.all(
          seats.map(async (seat) => {
            while (!seat.back) await sleep(10);
            const view = await seat.back;
            report.backMs.push(performance.now() - t0);
            seat.back = null;
            const answered = new Set(view.answered.map((a) => `${a.itemId}:${a.verdict}`));
            for (const key of acked.get(seat.playerId) ?? []) {
              const itemId = key.split(":")[0]!;
              if (view.items.some((i) => i.itemId === itemId) && !answered.has(key))
                report.answersMissing++;
            }
          }),
        ),
        30_000,
        `cycle ${cycle}: everyone back in the round`,
      );
      if (cycle % 5 === 0)
        log(
          `cycle ${cycle}: ${report.events} events, back p95 ${Math.round(quantile(report.backMs, 0.95))} ms`,
        );
    }
    report.acked = [...acked.values()].reduce((n, s) => n + s.size, 0);
    return report;
  } finally {
    for (const s of sockets) {
      s.removeAllListeners();
      s.close();
    }
    await proxy.close();
  }
}

async function startRoundFor(
  host: Client,
  auth: HostAuth,
  seats: Seat[],
): Promise<Map<string, RoundStartedView>> {
  const started = seats.map((s) => nextMessage(s.socket, "round:started"));
  const ack = await host.emitWithAck("host:start-round", auth);
  if (!ack.ok) throw new Error(`host:start-round failed: ${ack.code}`);
  const views = await Promise.all(started);
  return new Map(seats.map((s, i) => [s.playerId, views[i]!]));
}

export function reconnectSummary(r: ReconnectReport): string[] {
  const ms = (q: number) => `${Math.round(quantile(r.backMs, q))} ms`;
  return [
    `reconnect events: ${r.events} (${r.drops} network drops through the proxy, ${r.reloads} page reloads), ${r.roundsPlayed} rounds`,
    `back in the round (cut → round:resume): p50 ${ms(0.5)}, p95 ${ms(0.95)}, max ${ms(1)}`,
    `seats lost: ${r.seatLost}, scores changed: ${r.scoreChanged}, acknowledged answers missing after a return: ${r.answersMissing} (of ${r.acked} acknowledged)`,
  ];
}
