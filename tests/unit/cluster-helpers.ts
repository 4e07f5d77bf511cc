// Shared by the cluster tests: socket.io clients on a given process (or the proxy), and a room set
// up with a police and fakes so a round can start.
import { io as connect } from "socket.io-client";
import { PROTOCOL_VERSION } from "@/lib/protocol";
import { findPostgresBin } from "@/scripts/postgres-cluster";
import { findRedisServer } from "@/scripts/cluster";
import { noiseImages, tinySnapshot, type Client } from "./server-harness";

export const clusterTools = { redis: findRedisServer(), postgres: findPostgresBin() };
export const clusterSkip =
  !clusterTools.redis || !clusterTools.postgres
    ? `SKIPPED: needs redis-server and PostgreSQL from Debian (apt-get install redis-server postgresql); found redis-server=${clusterTools.redis}, postgres=${clusterTools.postgres}`
    : null;

export async function clientOf(url: string, opened: Client[]): Promise<Client> {
  const socket: Client = connect(url, {
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
  });
  opened.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("connect_error", reject);
  });
  return socket;
}

export async function hostRoom(host: Client, roundSeconds = 120) {
  const created = await host.emitWithAck("room:create", {
    protocolVersion: PROTOCOL_VERSION,
    settings: { roundSize: 6, roundSeconds },
  });
  if (!created.ok) throw new Error(created.code);
  const { code, hostToken } = created.data;
  const auth = { code, hostToken };
  const weights = await tinySnapshot(5);
  const snap = await host.emitWithAck("trainer:snapshot", { ...auth, step: 5, weights });
  if (!snap.ok) throw new Error(snap.code);
  const fakes = await host.emitWithAck("trainer:fakes", {
    ...auth,
    step: 5,
    images: noiseImages(32),
  });
  if (!fakes.ok) throw new Error(fakes.code);
  return { code, hostToken, auth, roomId: created.data.roomId };
}

export async function joinAs(socket: Client, code: string, nickname: string, seatToken?: string) {
  const res = await socket.emitWithAck("room:join", {
    protocolVersion: PROTOCOL_VERSION,
    code,
    nickname,
    ...(seatToken && { seatToken }),
  });
  if (!res.ok) throw new Error(`join ${nickname}: ${res.code}`);
  return res.data;
}
