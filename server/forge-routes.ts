// The forge's snapshot for a student's phone: the room's pinned G and D, downloaded once per
// forge window and run in the browser. Only a seat of the room gets it (its seat token).
import { bearerToken, HttpError } from "./api/http";
import type { Route } from "./api/router";
import type { RoomService } from "./rooms/service";

export const FORGE_STEP_HEADER = "X-Snapshot-Step";

export function forgeRoutes(rooms: Pick<RoomService, "forgeSnapshot">): Route[] {
  return [
    {
      method: "GET",
      pattern: /^\/api\/rooms\/([A-Z0-9]{6})\/forge$/,
      async handle(req, res, [code]) {
        const token = bearerToken(req);
        const snap = token ? await rooms.forgeSnapshot(code!, token) : null;
        // One answer for a wrong code, a wrong seat, a running round and "no snapshot yet".
        if (!snap)
          throw new HttpError(404, "NO_FORGE", "Forging is not open for this seat right now.");
        res.statusCode = 200;
        res.setHeader("Content-Type", "application/octet-stream");
        res.setHeader("Cache-Control", "private, no-store");
        res.setHeader(FORGE_STEP_HEADER, String(snap.step));
        res.setHeader("Content-Length", String(snap.weights.byteLength));
        res.end(snap.weights);
      },
    },
  ];
}
