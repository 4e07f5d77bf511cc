// Builds the one-port server: Next's request handler and socket.io on the same HTTP server.
import { createServer, type Server as HttpServer } from "node:http";
import next from "next";
import type { Db } from "./db";
import type { Env } from "./env";
import type { Logger } from "./logger";
import { createApiRouter } from "./api/router";
import { apiRoutes } from "./api";
import { attachGame } from "./game";
import type { AppServer } from "./realtime";
import type { RoomService } from "./rooms/service";
import { rejectUpgrade, setSecurityHeaders, upgradeTarget } from "./security";

export interface AppDeps {
  env: Env;
  logger: Logger;
  db: Db;
  dev: boolean;
  clock?: () => number;
  rng?: () => number;
}

export interface RunningApp {
  http: HttpServer;
  io: AppServer;
  rooms: RoomService;
  url: string;
  close(): Promise<void>;
}

export async function startApp(deps: AppDeps): Promise<RunningApp> {
  const { env, logger, dev } = deps;
  const nextApp = next({ dev, dir: process.cwd(), hostname: "localhost", port: env.PORT });
  const started = Date.now();
  await nextApp.prepare();
  logger.info({ ms: Date.now() - started }, "next is ready");
  const handle = nextApp.getRequestHandler();
  const nextUpgrade = dev ? nextApp.getUpgradeHandler() : null;

  const http = createServer((req, res) => {
    setSecurityHeaders(res, dev);
    api(req, res)
      .then((handled) => (handled ? undefined : handle(req, res)))
      .catch((err: unknown) => {
        logger.error({ err, url: req.url }, "request failed");
        if (!res.headersSent) res.statusCode = 500;
        res.end("Internal error");
      });
  });
  http.on("upgrade", (req, socket, head) => {
    const target = upgradeTarget(req, dev);
    if (target === "next-hmr" && nextUpgrade) void nextUpgrade(req, socket, head);
    else if (target === null) rejectUpgrade(socket);
    // socket.io's own upgrade listener takes "/socket.io/".
  });

  const game = attachGame(http, {
    db: deps.db,
    logger,
    clock: deps.clock ?? Date.now,
    rng: deps.rng ?? Math.random,
    allowedOrigins: env.ALLOWED_ORIGINS,
  });
  // Requests are only served after listen(), below, so `api` exists by then.
  const api = createApiRouter(
    apiRoutes(
      deps.db,
      {
        teacherPassphrase: env.TEACHER_PASSPHRASE,
        onRoomDeleted: (roomId) => game.rooms.forget(roomId),
      },
      game.rooms,
    ),
    logger,
  );

  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(env.PORT, env.HOST, () => resolve());
  });
  const address = http.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  const url = `http://localhost:${port}`;

  return {
    http,
    io: game.io,
    rooms: game.rooms,
    url,
    async close() {
      await game.close();
      await nextApp.close?.();
    },
  };
}
