// initBestBackend measures its candidates and activates the fastest one, in Node too.
import { describe, expect, it } from "vitest";
import path from "node:path";
import * as tf from "@tensorflow/tfjs-core";
import { initBestBackend, withThreadedGlue } from "@/lib/gan/backend";
import { isCustomKernel } from "@/lib/gan/kernels";

const wasmPath = path.resolve("node_modules/@tensorflow/tfjs-backend-wasm/dist") + path.sep;

describe("initBestBackend", () => {
  it("measures wasm and cpu in Node and activates the one with the lower ms per step", async () => {
    const lines: string[] = [];
    const report = await initBestBackend({ wasmPath, probeSteps: 2, log: (m) => lines.push(m) });
    const wasm = report.msPerStep.wasm;
    const cpu = report.msPerStep.cpu;
    expect(wasm).toBeGreaterThan(0);
    expect(cpu).toBeGreaterThan(0);
    expect(report.backend).toBe(wasm! <= cpu! ? "wasm" : "cpu");
    expect(tf.getBackend()).toBe(report.backend);
    expect(report.msPerStep.webgl).toBeUndefined();
    expect(report.simd).toBe(true);
    expect(report.threads).toBeGreaterThanOrEqual(1);
    expect(report.reason).toContain(report.backend);
    expect(lines.some((l) => l.startsWith("backend chosen"))).toBe(true);
    expect(isCustomKernel(tf.Conv2DBackpropFilter, "wasm")).toBe(true);
  });

  it("reports an unavailable candidate as null and still picks a working one", async () => {
    const report = await initBestBackend({ candidates: ["webgl", "cpu"], probeSteps: 1 });
    expect(report.msPerStep.webgl).toBeNull();
    expect(report.backend).toBe("cpu");
    expect(report.reason).toMatch(/webgl: not available in Node/);
  });

  it("activates a lone usable candidate without probing it", async () => {
    const report = await initBestBackend({ candidates: ["wasm"], wasmPath });
    expect(report.backend).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(report.msPerStep.wasm).toBeUndefined();
    expect(report.reason).toMatch(/only usable candidate/);
  });

  it("leaves no probe tensors behind", async () => {
    await initBestBackend({ candidates: ["wasm", "cpu"], probeSteps: 1, wasmPath });
    const before = tf.memory().numTensors;
    const report = await initBestBackend({ candidates: ["wasm", "cpu"], probeSteps: 2, wasmPath });
    expect(report.msPerStep.wasm).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("withThreadedGlue", () => {
  const glue = "http://127.0.0.1:3000/tfjs-wasm/tfjs-backend-wasm-threaded-simd.js";

  it("makes the Emscripten option naming the pthread workers' script the glue URL during init", async () => {
    const factoryConfig: Record<string, unknown> = {};
    const seen = await withThreadedGlue(glue, async () => {
      // What tfjs-backend-wasm's init does: a Blob of its own module's source.
      factoryConfig.mainScriptUrlOrBlob = new Blob(["var WasmBackendModuleThreadedSimd = f"]);
      return factoryConfig.mainScriptUrlOrBlob;
    });
    // A string: the pthread workers importScripts it (a blob: script would be refused by CSP).
    expect(seen).toBe(glue);
    expect(factoryConfig.mainScriptUrlOrBlob).toBe(glue);
    expect(Object.keys(factoryConfig)).toEqual(["mainScriptUrlOrBlob"]);
  });

  it("leaves Object.prototype as it was afterwards, also after a failed init", async () => {
    await withThreadedGlue(glue, async () => undefined);
    expect(
      Object.getOwnPropertyDescriptor(Object.prototype, "mainScriptUrlOrBlob"),
    ).toBeUndefined();
    await expect(
      withThreadedGlue(glue, () => Promise.reject(new Error("init failed"))),
    ).rejects.toThrow("init failed");
    expect(
      Object.getOwnPropertyDescriptor(Object.prototype, "mainScriptUrlOrBlob"),
    ).toBeUndefined();
    const later: Record<string, unknown> = {};
    later.mainScriptUrlOrBlob = "x.js";
    expect(later.mainScriptUrlOrBlob).toBe("x.js");
  });
});
