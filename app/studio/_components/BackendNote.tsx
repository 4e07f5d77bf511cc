import type { ReadyInfo } from "@/lib/gan/worker-protocol";

const NAMES = {
  webgl: "WebGL (graphics card)",
  wasm: "WebAssembly",
  cpu: "plain JavaScript (CPU)",
};

/** Which engine trains, and, when it is not WebGL, why (the fallback said out loud). */
export function backendSentence(ready: ReadyInfo): string {
  const { backend, backendReport: r } = ready;
  const ms = r.msPerStep;
  if (backend === "webgl") return "Training on your graphics card with WebGL.";
  if (backend === "wasm") {
    const gl = ms.webgl;
    const software = r.webglRenderer && /swiftshader|llvmpipe|software/i.test(r.webglRenderer);
    if (gl === null || gl === undefined) {
      // Not measured: either there is no WebGL, or it is drawn in software (no graphics card).
      return software
        ? "WebGL is software-rendered here (no graphics card), so training uses WebAssembly."
        : "WebGL is not available here, so training falls back to WebAssembly.";
    }
    const ratio = ms.wasm ? gl / ms.wasm : NaN;
    return (
      `WebGL ${software ? "is software-rendered here" : "was slower here"}` +
      (Number.isFinite(ratio) && ratio > 1
        ? ` (WebAssembly measured ${ratio.toFixed(1)}× faster)`
        : "") +
      ", so training falls back to WebAssembly."
    );
  }
  return "Neither WebGL nor WebAssembly could run here, so training falls back to the plain CPU engine (slow).";
}

export function BackendNote({
  ready,
  fallbackNote,
}: {
  ready: ReadyInfo;
  fallbackNote: string | null;
}) {
  return (
    <details className="text-sm text-slate-600">
      <summary className="cursor-pointer">
        <span
          className="font-semibold text-slate-800"
          data-testid="backend"
          data-backend={ready.backend}
        >
          Engine: {NAMES[ready.backend]}
        </span>{" "}
        — {fallbackNote ?? backendSentence(ready)}
      </summary>
      <p className="mt-2 font-mono text-xs break-words text-slate-500">
        {ready.backendReport.reason}
      </p>
    </details>
  );
}
