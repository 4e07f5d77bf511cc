"use client";

import { useEffect, useState } from "react";

interface Report {
  backend: string;
  renderer: string | null;
  isolated: boolean;
  matmulMs: number;
  ok: boolean;
}

function webglRenderer(): string | null {
  const canvas = document.createElement("canvas");
  const gl = canvas.getContext("webgl2") ?? canvas.getContext("webgl");
  if (!gl) return null;
  const info = gl.getExtension("WEBGL_debug_renderer_info");
  return String(
    info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
  );
}

export function DeviceCheck() {
  const [phase, setPhase] = useState<string>("Loading TensorFlow.js…");
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const tf = await import("@tensorflow/tfjs-core");
      await import("@tensorflow/tfjs-backend-webgl");
      await import("@tensorflow/tfjs-backend-cpu");
      if (cancelled) return;
      setPhase("Starting the WebGL backend (compiling shaders)…");
      const webgl = await tf.setBackend("webgl").catch(() => false);
      if (!webgl) await tf.setBackend("cpu");
      await tf.ready();
      setPhase("Measuring a matrix multiplication…");
      const a = tf.randomNormal([256, 256]);
      const warm = tf.matMul(a, a);
      await warm.data();
      const t0 = performance.now();
      const b = tf.matMul(a, a);
      await b.data();
      const matmulMs = performance.now() - t0;
      tf.dispose([a, warm, b]);
      if (cancelled) return;
      setReport({
        backend: tf.getBackend(),
        renderer: webglRenderer(),
        isolated: globalThis.crossOriginIsolated === true,
        matmulMs,
        ok: true,
      });
    })().catch((err: unknown) => {
      if (!cancelled) setError(err instanceof Error ? err.message : String(err));
    });
    return () => {
      cancelled = true;
    };
  }, []);

  if (error) {
    return (
      <p role="alert" className="rounded-xl bg-red-50 p-4 text-red-800">
        TensorFlow.js could not start: {error}
      </p>
    );
  }
  if (!report) {
    return (
      <p role="status" className="flex items-center gap-3 rounded-xl bg-white p-4 shadow-sm">
        <span className="size-4 animate-spin rounded-full border-2 border-indigo-600 border-t-transparent" />
        {phase}
      </p>
    );
  }
  const software = report.renderer ? /swiftshader|llvmpipe|software/i.test(report.renderer) : false;
  return (
    <dl
      data-testid="device-report"
      data-backend={report.backend}
      className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-3 rounded-2xl bg-white p-6 shadow-sm"
    >
      <dt className="font-medium text-slate-500">Backend</dt>
      <dd data-testid="backend" className="font-mono">
        {report.backend}
      </dd>
      <dt className="font-medium text-slate-500">Graphics</dt>
      <dd>
        {report.renderer ?? "no WebGL"}
        {software && (
          <span className="ml-2 rounded bg-amber-100 px-2 py-0.5 text-sm text-amber-800">
            software rendering: training will use WebAssembly instead
          </span>
        )}
      </dd>
      <dt className="font-medium text-slate-500">Cross-origin isolated</dt>
      <dd>{report.isolated ? "yes (WebAssembly threads available)" : "no"}</dd>
      <dt className="font-medium text-slate-500">256×256 matmul</dt>
      <dd>{report.matmulMs.toFixed(1)} ms</dd>
    </dl>
  );
}
