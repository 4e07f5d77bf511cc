// The trainer Web Worker: trains the GAN off the main thread so the page stays at 60 fps.
// Create it from app code with
//   new Worker(new URL("../_workers/trainer.worker.ts", import.meta.url), { type: "module" })
// (app/_lib/trainer-client.ts does). All behaviour lives in lib/gan/trainer-host; this file
// only adapts postMessage and fetch to it.
import { initBestBackend } from "@/lib/gan/backend";
import { fetchDigits } from "@/lib/gan/dataset";
import { createTrainerHost } from "@/lib/gan/trainer-host";
import { isTrainerRequest, transferables, type TrainerMessage } from "@/lib/gan/worker-protocol";

const scope = self as unknown as {
  postMessage(message: TrainerMessage, transfer: Transferable[]): void;
  addEventListener(type: "message", listener: (event: MessageEvent<unknown>) => void): void;
};

const host = createTrainerHost({
  post: (message) => scope.postMessage(message, transferables(message)),
  loadDigits: (url) => fetchDigits(url),
  initBackend: (candidates) =>
    initBestBackend({
      ...(candidates ? { candidates } : {}),
      log: (m) => console.info(`[trainer] ${m}`),
    }),
});

scope.addEventListener("message", (event) => {
  if (!isTrainerRequest(event.data)) {
    scope.postMessage(
      { type: "error", message: "expected a trainer request, got something else" },
      [],
    );
    return;
  }
  void host.handle(event.data);
});
