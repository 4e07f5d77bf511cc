// A class's newest snapshot for its host: a reloaded projector resumes training from it instead
// of starting the counterfeiter again from noise.
import type { RoomService } from "../rooms/service";
import { bearerToken, HttpError, sendSnapshotFile } from "./http";
import type { Route } from "./router";

export function roomRoutes(rooms: Pick<RoomService, "latestSnapshot">): Route[] {
  return [
    {
      method: "GET",
      pattern: /^\/api\/rooms\/([A-Z0-9]{6})\/snapshot$/,
      async handle(req, res, [code]) {
        const token = bearerToken(req);
        const snap = token ? await rooms.latestSnapshot(code!, token) : null;
        // One answer for a wrong code, a wrong token and "no snapshot yet": nothing leaks.
        if (!snap)
          throw new HttpError(404, "NO_SNAPSHOT", "No snapshot of this class for this token.");
        sendSnapshotFile(res, snap.step, snap.weights);
      },
    },
  ];
}
