// A stored session walked in the browser: seeded by playing a short game through the real server
// (a host, two students, one revealed round), then list → session → timeline step → exports
// downloaded and parsed → delete → gone.
import { readFile } from "node:fs/promises";
import { inflateSync } from "node:zlib";
import { expect, test, type Download, type Page } from "@playwright/test";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { PRESETS } from "../../lib/gan/config";
import { encodeSnapshot } from "../../lib/gan/snapshot";
import { createGan, dispose } from "../../lib/gan/train";
import { PROTOCOL_VERSION, type ServerToClientEvents } from "../../lib/protocol";
import { connect, type Client } from "./helpers";

async function snapshotBytes(step: number): Promise<Uint8Array> {
  await tf.setBackend("cpu");
  const gan = createGan(PRESETS.tiny, 11);
  const bytes = encodeSnapshot(gan, step);
  dispose(gan);
  return bytes;
}

/** One revealed round of 4 items answered by two students; returns what the teacher's browser keeps. */
async function playShortGame(baseURL: string) {
  const sockets: Client[] = [];
  try {
    const host = await connect(baseURL);
    sockets.push(host);
    const created = await host.emitWithAck("room:create", {
      protocolVersion: PROTOCOL_VERSION,
      settings: { roundSize: 4 },
    });
    if (!created.ok) throw new Error(created.code);
    const auth = { code: created.data.code, hostToken: created.data.hostToken };
    const snap = await host.emitWithAck("trainer:snapshot", {
      ...auth,
      step: 40,
      weights: await snapshotBytes(40),
    });
    expect(snap.ok).toBe(true);
    const metrics = await host.emitWithAck("trainer:metrics", {
      ...auth,
      metrics: [10, 20, 30, 40].map((step) => ({
        step,
        dLoss: 1.2 + Math.sin(step) / 5,
        gLoss: 0.8 + Math.cos(step) / 5,
        dReal: 0.7,
        dFake: 0.3,
        quality: step / 20,
        fid: null,
        lambda: 0.2,
      })),
    });
    expect(metrics.ok).toBe(true);
    const images = new Uint8Array(8 * 784).map((_, i) => (i * 37) % 256);
    expect((await host.emitWithAck("trainer:fakes", { ...auth, step: 40, images })).ok).toBe(true);
    const students: Client[] = [];
    for (const nickname of ["Ada", "Grace"]) {
      const s = await connect(baseURL);
      sockets.push(s);
      const joined = await s.emitWithAck("room:join", {
        protocolVersion: PROTOCOL_VERSION,
        code: auth.code,
        nickname,
      });
      expect(joined.ok).toBe(true);
      students.push(s);
    }
    const started = new Promise<Parameters<ServerToClientEvents["round:started"]>[0]>((r) =>
      students[0]!.once("round:started", r),
    );
    expect((await host.emitWithAck("host:start-round", auth)).ok).toBe(true);
    const round = await started;
    for (const [k, s] of students.entries()) {
      for (const [i, item] of round.items.entries()) {
        const verdict = (i + k) % 2 === 0 ? "real" : "fake";
        const ack = await s.emitWithAck("round:answer", {
          roundId: round.roundId,
          itemId: item.itemId,
          verdict,
        });
        expect(ack.ok).toBe(true);
      }
    }
    expect((await host.emitWithAck("host:reveal", auth)).ok).toBe(true);
    return auth;
  } finally {
    for (const s of sockets) s.disconnect();
  }
}

async function saved(download: Download): Promise<Buffer> {
  const path = await download.path();
  return readFile(path);
}

async function shoot(page: Page, name: string, width: number, height: number) {
  await page.setViewportSize({ width, height });
  await page.screenshot({ path: test.info().outputPath(`${name}-${width}.png`), fullPage: true });
}

test("a teacher reviews a stored class, exports it and deletes it", async ({ page, baseURL }) => {
  const { code, hostToken } = await playShortGame(baseURL!);

  // The teacher's browser holds the host token from when it created the room.
  await page.goto("/");
  await page.evaluate(
    ([c, t]) => localStorage.setItem(`spot-the-fake:host:${c}`, t!),
    [code, hostToken],
  );
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto("/history");
  const entry = page.getByRole("link", { name: new RegExp(`Class ${code}`) });
  await expect(entry).toBeVisible();
  await expect(entry).toContainText("2"); // players
  await expect(page.getByText(/nicknames are the only personal data/)).toBeVisible();
  await shoot(page, "history-list", 1440, 900);
  await shoot(page, "history-list", 390, 844);
  await page.setViewportSize({ width: 1440, height: 900 });

  await entry.click();
  // Generous: the first visit may compile the page (dev server) and load tfjs.
  await expect(page.getByRole("heading", { name: `Class ${code}` })).toBeVisible({
    timeout: 60_000,
  });
  const board = page.getByRole("list", { name: "Leaderboard" });
  await expect(board).toContainText("The Police (D)");
  await expect(board).toContainText("Ada");
  await expect(page.getByRole("img", { name: /Round 1: class \d+ %, police \d+ %/ })).toBeVisible();

  // Timeline: pick the stored step; this browser loads that generator and draws its digits.
  await page.getByRole("button", { name: "40", exact: true }).click();
  const grid = page.getByRole("img", { name: /36 digits drawn by the generator at step 40/ });
  await expect(grid).toBeVisible({ timeout: 60_000 });
  const inked = await grid.evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    return new Set(Array.from(data.filter((_, i) => i % 4 === 0))).size;
  });
  expect(inked).toBeGreaterThan(4);
  await expect(page.getByText("drawing…")).toHaveCount(0);
  await shoot(page, "history-session", 1440, 900);
  await shoot(page, "history-session", 390, 844);
  await page.setViewportSize({ width: 1440, height: 900 });

  // Re-judge: the round's images again, here; half of them are real.
  await page.getByRole("button", { name: "Re-judge these fakes" }).click();
  for (let i = 0; i < 4; i++) {
    await expect(page.getByText(`Image ${i + 1} of 4: real or fake?`)).toBeVisible();
    await page.getByRole("button", { name: "Real", exact: true }).click();
  }
  await expect(page.getByText(/You now: 50 % right · the class then: \d+ %/)).toBeVisible();
  await page.getByRole("button", { name: "Another round" }).click();

  // Exports: the browser downloads each file; each parses.
  const [csvFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Answers per image (CSV)" }).click(),
  ]);
  expect(csvFile.suggestedFilename()).toMatch(new RegExp(`${code}.*\\.csv$`));
  const lines = (await saved(csvFile)).toString("utf8").trim().split(/\r\n/);
  expect(lines[0]).toBe(
    "round,image_id,position,kind,generator_step,player,verdict,correct,latency_ms,points,police_probability",
  );
  expect(lines).toHaveLength(1 + 2 * 4);
  for (const line of lines.slice(1)) {
    const cells = line.split(",");
    expect(cells).toHaveLength(11);
    expect(["real", "fake"]).toContain(cells[3]);
    expect(["Ada", "Grace"]).toContain(cells[5]);
    expect(["true", "false"]).toContain(cells[7]);
    expect(Number(cells[10])).toBeGreaterThanOrEqual(0);
  }

  const [jsonFile] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Whole session (JSON)" }).click(),
  ]);
  const doc = JSON.parse((await saved(jsonFile)).toString("utf8"));
  expect(doc.session.code).toBe(code);
  expect(doc.rounds).toHaveLength(1);
  expect(doc.rounds[0].items.flatMap((i: { answers: unknown[] }) => i.answers)).toHaveLength(8);

  const [pngFile] = await Promise.all([
    page.waitForEvent("download", { timeout: 60_000 }),
    page.getByRole("button", { name: "Download this step as PNG" }).click(),
  ]);
  const png = await saved(pngFile);
  expect(png.subarray(1, 4).toString("ascii")).toBe("PNG");
  const [width, height] = [png.readUInt32BE(16), png.readUInt32BE(20)];
  expect([width, height]).toEqual([(6 * 28 + 5 * 2) * 4, (6 * 28 + 5 * 2) * 4]);
  expect(inflateSync(png.subarray(41, 41 + png.readUInt32BE(33))).length).toBe(
    (width + 1) * height,
  );

  // Delete, with confirmation; the session is gone from the list and from the server.
  await page.getByRole("button", { name: "Delete this session…" }).click();
  await page.getByRole("button", { name: "Yes, delete everything" }).click();
  await expect(page.getByText("The session is deleted.")).toBeVisible();
  await expect(page.getByRole("status")).toContainText("8 answers");
  await page.goto("/history");
  await expect(page.getByRole("heading", { name: "Past sessions" })).toBeVisible();
  await expect(page.getByRole("link", { name: new RegExp(`Class ${code}`) })).toHaveCount(0);
  const after = await page.request.fetch(`/api/history/sessions`, {
    method: "POST",
    data: { tokens: [hostToken] },
  });
  expect((await after.json()).sessions).toEqual([]);
});

test("a saved studio run plays the counterfeiter's progress across its snapshots", async ({
  page,
  baseURL,
}) => {
  // The studio saves a run with an owner token, then snapshots as it trains.
  const created = await page.request.post(`${baseURL}/api/runs`, {
    data: { name: "My night run", kind: "solo", config: { preset: "tiny" } },
  });
  expect(created.status()).toBe(201);
  const run = (await created.json()) as { runId: string; ownerToken: string };
  for (const step of [10, 20, 30]) {
    const up = await page.request.post(`${baseURL}/api/runs/${run.runId}/snapshots`, {
      headers: { Authorization: `Bearer ${run.ownerToken}` },
      data: Buffer.from(await snapshotBytes(step)),
    });
    expect(up.status()).toBe(201);
  }

  await page.goto("/");
  await page.evaluate((r) => localStorage.setItem("spot-the-fake:studio-run", JSON.stringify(r)), {
    ...run,
    name: "My night run",
  });
  await page.goto("/history");
  await page.getByRole("link", { name: /My night run/ }).click();
  await expect(page.getByText("snapshot 3 of 3")).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("img", { name: /at step 30/ })).toBeVisible({ timeout: 60_000 });

  // Record every step the animation shows, in order.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { seen: string[] }).seen = seen;
    const live = document.querySelector("[aria-live=polite]")!;
    new MutationObserver(() => {
      const step = /Step ([\d,]+)/.exec(live.textContent ?? "")?.[1];
      if (step && seen[seen.length - 1] !== step) seen.push(step);
    }).observe(live, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole("button", { name: "Watch the counterfeiter learn" }).click();
  await expect(page.getByRole("button", { name: "Stop" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Watch the counterfeiter learn" })).toBeVisible({
    timeout: 60_000,
  });
  expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([
    "10",
    "20",
    "30",
  ]);

  await page.getByRole("button", { name: "Delete this session…" }).click();
  await page.getByRole("button", { name: "Yes, delete everything" }).click();
  await expect(page.getByRole("status")).toContainText("3 snapshots");
  const gone = await page.request.get(`${baseURL}/api/history/run/${run.runId}`, {
    headers: { Authorization: `Bearer ${run.ownerToken}` },
  });
  expect(gone.status()).toBe(404);
});
