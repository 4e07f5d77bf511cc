// A small reverse proxy in front of N app processes (http-proxy-3): one public port, page requests
// and WebSocket upgrades spread round-robin over the processes that answer.
//
// No sticky sessions: the app's client connects with `transports: ["websocket"]` (no long-polling,
// whose requests must all reach the process holding the session), and any process accepts any
// socket because events reach the room's owner through Redis (server/cluster/router.ts). A process
// that refuses a connection is skipped for a while; a client whose process died reconnects through
// the proxy to another one, and its seat or host token brings it back to its seat.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";
import { createProxyServer } from "http-proxy-3";

export interface ProxyOptions {
  /** Backend base URLs, e.g. http://127.0.0.1:3101. */
  backends: string[];
  port: number;
  host?: string;
  /** How long a backend that failed is skipped. */
  downMs?: number;
  log?: (message: string) => void;
}

export interface RunningProxy {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startProxy(opts: ProxyOptions): Promise<RunningProxy> {
  const downMs = opts.downMs ?? 2000;
  const downUntil = new Map<string, number>();
  let next = 0;
  const proxy = createProxyServer({ xfwd: true, ws: true });
  // Errors are handled per request below; this keeps an unhandled one from crashing the proxy.
  proxy.on("error", () => undefined);

  function pick(skip: Set<string>): string | null {
    const n = opts.backends.length;
    const now = Date.now();
    for (let i = 0; i < n; i++) {
      const target = opts.backends[(next + i) % n]!;
      if (skip.has(target) || (downUntil.get(target) ?? 0) > now) continue;
      next = (next + i + 1) % n;
      return target;
    }
    // Every backend looks down: try one that was not tried in this request anyway.
    return opts.backends.find((b) => !skip.has(b)) ?? null;
  }

  function markDown(target: string, err: unknown) {
    if ((downUntil.get(target) ?? 0) <= Date.now()) {
      opts.log?.(`proxy: ${target} is not answering (${(err as Error)?.message ?? err})`);
    }
    downUntil.set(target, Date.now() + downMs);
  }

  // A backend that stops accepting connections (killed) is skipped within a second, before a
  // client's request finds out the hard way.
  const probe = setInterval(() => {
    for (const target of opts.backends) {
      const url = new URL(target);
      const conn = connect(Number(url.port), url.hostname);
      conn.setTimeout(1000);
      conn.once("connect", () => conn.destroy());
      conn.once("timeout", () => conn.destroy());
      conn.once("error", (err) => markDown(target, err));
    }
  }, 1000);
  probe.unref();

  const upgraded = new Set<Socket>();
  const server = createServer((req, res) => {
    const tried = new Set<string>();
    // Requests without a body may be retried on another process; others fail with 502.
    const retryable = req.method === "GET" || req.method === "HEAD";
    const attempt = () => {
      const target = pick(tried);
      if (!target) {
        if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
        res.end("No app process is answering.");
        return;
      }
      tried.add(target);
      proxy.web(req, res, { target }, (err) => {
        markDown(target, err);
        if (retryable && !res.headersSent) attempt();
        else {
          if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
          res.end("The app process failed.");
        }
      });
    };
    attempt();
  });

  server.on("upgrade", (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Only socket.io's path is upgraded; the app destroys anything else too.
    if (!req.url?.startsWith("/socket.io/")) {
      socket.destroy();
      return;
    }
    socket.on("error", () => socket.destroy());
    upgraded.add(socket);
    socket.once("close", () => upgraded.delete(socket));
    const target = pick(new Set());
    if (!target) {
      socket.destroy();
      return;
    }
    proxy.ws(req, socket, head, { target }, (err) => {
      markDown(target, err);
      socket.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    async close() {
      clearInterval(probe);
      server.closeAllConnections();
      for (const s of upgraded) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      proxy.close();
    },
  };
}
