// Routes /api/* requests to their handlers; everything else goes to Next.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "../logger";
import { HttpError, sendError } from "./http";

export interface Route {
  method: "GET" | "POST" | "DELETE";
  pattern: RegExp;
  handle(req: IncomingMessage, res: ServerResponse, params: string[]): Promise<void>;
}

/** Returns a handler that answers /api/* requests and returns false for anything else. */
export function createApiRouter(routes: Route[], logger: Logger) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!url.pathname.startsWith("/api/")) return false;
    const matching = routes.filter((r) => r.pattern.test(url.pathname));
    const route = matching.find((r) => r.method === req.method);
    try {
      if (!route) {
        throw matching.length
          ? new HttpError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed here.`)
          : new HttpError(404, "NOT_FOUND", "No such API endpoint.");
      }
      const params = route.pattern.exec(url.pathname)!.slice(1);
      await route.handle(req, res, params);
    } catch (err) {
      if (err instanceof HttpError) sendError(res, err);
      else {
        logger.error({ err, url: req.url }, "api request failed");
        sendError(res, new HttpError(500, "INTERNAL", "Something went wrong on the server."));
      }
    }
    return true;
  };
}
