// A small TCP proxy on loopback that can cut every connection through it at once, the way a
// Wi-Fi drop or a phone switching networks does (Playwright's setOffline leaves WebSockets open).
import net from "node:net";

export interface FaultProxy {
  port: number;
  url: string;
  /** Live client connections. */
  readonly open: number;
  /** Resets every connection (TCP RST on both sides); returns how many were cut. */
  dropAll(): number;
  /**
   * A silent drop: every connection stays open but nothing passes any more, either way (a phone
   * that left the Wi-Fi, a dead access point). Only heartbeats can notice it. Returns how many.
   */
  freezeAll(): number;
  close(): Promise<void>;
}

export async function startProxy(
  targetPort: number,
  targetHost = "127.0.0.1",
): Promise<FaultProxy> {
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket; frozen: boolean }>();
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, targetHost);
    const pair = { client, upstream, frozen: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      // A frozen link tells neither side that the other one closed.
      if (pair.frozen) return;
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end).on("close", end);
    upstream.on("error", end).on("close", end);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  const frozen = new Set<net.Socket>();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    get open() {
      return pairs.size;
    },
    dropAll() {
      const n = pairs.size;
      for (const { client, upstream } of [...pairs]) {
        client.resetAndDestroy();
        upstream.resetAndDestroy();
      }
      pairs.clear();
      return n;
    },
    freezeAll() {
      const n = pairs.size;
      for (const pair of [...pairs]) {
        const { client, upstream } = pair;
        pair.frozen = true;
        client.unpipe(upstream);
        upstream.unpipe(client);
        // Bytes still arriving are swallowed, as a dead link loses them.
        for (const s of [client, upstream]) {
          s.on("data", () => undefined);
          frozen.add(s);
        }
      }
      pairs.clear();
      return n;
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      for (const s of frozen) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
