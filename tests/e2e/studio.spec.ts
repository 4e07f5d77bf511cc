import { expect, test, type Page } from "@playwright/test";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { decodeDigitsGzip, IMAGE_PIXELS } from "@/lib/gan/dataset";

// One studio session (tiny preset, software WebGL or wasm) shared by the steps below, so the
// backend probe and warm-up are paid once.
test.describe.configure({ mode: "serial" });
test.setTimeout(150_000);

let page: Page;

const stepOf = async (p: Page) =>
  Number(await p.getByTestId("step-counter").getAttribute("data-step"));
const attr = async (p: Page, testId: string, name: string) =>
  (await p.getByTestId(testId).getAttribute(name)) ?? "";

/** Digits drawn by DigitImage (dark ink on white) read back as the dataset's 784 bytes. */
async function itemPixels(p: Page): Promise<number[][]> {
  return p.getByTestId("solo-item").evaluateAll((items) =>
    items.map((li) => {
      const canvas = li.querySelector("canvas")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => 255 - data[i * 4]!);
    }),
  );
}

test.beforeAll(async ({ browser, baseURL }) => {
  page = await browser.newPage({ baseURL, viewport: { width: 1440, height: 900 } });
});

test.afterAll(async () => {
  await page.close();
});

test("starts in one click, shows the engine, and trains: steps advance, losses stay finite, the grid changes", async () => {
  await page.goto("/studio?preset=tiny");
  await page.getByRole("button", { name: "Start training" }).click();
  await expect(page.getByRole("status")).toContainText("Downloading 10,000 handwritten digits");
  await expect(page.getByTestId("step-counter")).toBeVisible({ timeout: 90_000 });
  await expect(page.getByTestId("backend")).toHaveAttribute("data-backend", /^(webgl|wasm|cpu)$/);

  await expect(page.getByTestId("sample-grid")).not.toHaveAttribute("data-fingerprint", "");
  const firstGrid = await attr(page, "sample-grid", "data-fingerprint");
  await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(40);
  await expect
    .poll(() => attr(page, "sample-grid", "data-fingerprint"), { timeout: 20_000 })
    .not.toBe(firstGrid);
  const d = Number(await attr(page, "losses", "data-d-loss"));
  const g = Number(await attr(page, "losses", "data-g-loss"));
  expect(Number.isFinite(d) && d > 0).toBe(true);
  expect(Number.isFinite(g) && g > 0).toBe(true);

  // Mid-training screenshots, looked at by a person when the layout changes.
  await page.screenshot({ path: path.join("test-results", "studio-desktop.png") });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join("test-results", "studio-phone.png") });
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await page.setViewportSize({ width: 1440, height: 900 });
});

test("step D changes only D's weights, step G only G's", async () => {
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(page.getByTestId("run-state")).toHaveText("Paused");
  // Let the loop finish its last iteration; the fingerprints then settle.
  await expect(page.getByTestId("net-G")).not.toHaveAttribute("data-fingerprint", "");
  let settled = "";
  await expect
    .poll(
      async () => {
        const now = `${await attr(page, "net-G", "data-fingerprint")}/${await attr(page, "net-D", "data-fingerprint")}/${await stepOf(page)}`;
        const same = now === settled;
        settled = now;
        return same;
      },
      { intervals: [1000] },
    )
    .toBe(true);

  const counter = page.getByTestId("step-counter");
  const g0 = await attr(page, "net-G", "data-fingerprint");
  const d0 = await attr(page, "net-D", "data-fingerprint");
  const step0 = await stepOf(page);
  const dSteps0 = Number(await counter.getAttribute("data-dsteps"));

  await page.getByRole("button", { name: "Step D" }).click();
  await expect(counter).toHaveAttribute("data-dsteps", String(dSteps0 + 1));
  await expect(page.getByTestId("net-D")).not.toHaveAttribute("data-fingerprint", d0);
  await expect(page.getByTestId("net-G")).toHaveAttribute("data-role", "frozen");
  expect(await attr(page, "net-G", "data-fingerprint")).toBe(g0);
  expect(await stepOf(page)).toBe(step0);
  const d1 = await attr(page, "net-D", "data-fingerprint");

  await page.getByRole("button", { name: "Step G" }).click();
  await expect(counter).toHaveAttribute("data-step", String(step0 + 1));
  await expect(page.getByTestId("net-G")).not.toHaveAttribute("data-fingerprint", g0);
  await expect(page.getByTestId("net-D")).toHaveAttribute("data-role", "frozen");
  expect(await attr(page, "net-D", "data-fingerprint")).toBe(d1);
  expect(Number(await counter.getAttribute("data-dsteps"))).toBe(dSteps0 + 1);
});

test("the latent explorer draws the digit its buttons choose (G's code names the digit)", async () => {
  const single = page.getByTestId("latent-single");
  const pixels = () =>
    single.evaluate((node) => {
      const data = node.querySelector("canvas")!.getContext("2d")!.getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => data[i * 4]!).join(",");
    });
  await expect(single.locator("canvas")).toBeVisible();
  const picker = page.getByTestId("digit-picker");
  const pressed = picker.locator("button[aria-pressed=true]");
  await expect(pressed).toHaveCount(1);
  const current = Number(await pressed.textContent());
  const next = (current + 1) % 10;
  const before = await pixels();
  await page.getByRole("button", { name: `Draw a ${next}` }).click();
  await expect(page.getByRole("button", { name: `Draw a ${next}` })).toHaveAttribute(
    "aria-pressed",
    "true",
  );
  await expect.poll(pixels, { timeout: 10_000 }).not.toBe(before);
});

test("the solo game scores the player and D against the true real/fake labels", async () => {
  const gz = await readFile(path.join("public", "data", "mnist.bin.gz"));
  const digits = await decodeDigitsGzip(new Uint8Array(gz));
  const dataset = new Set<string>();
  for (let i = 0; i < digits.count; i++) {
    dataset.add(
      Buffer.from(digits.pixels.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS)).toString(
        "base64",
      ),
    );
  }

  await page.getByTestId("solo-deal").click();
  const items = page.getByTestId("solo-item");
  await expect(items).toHaveCount(10);
  const pixels = await itemPixels(page);
  // Known truth, independent of the page: a real item is a digit of the dataset, a fake is not.
  const truth = pixels.map((px) =>
    dataset.has(Buffer.from(Uint8Array.from(px)).toString("base64")) ? "real" : "fake",
  );
  expect(truth).toContain("real");
  expect(truth).toContain("fake");

  // Answer: the first five right, the rest wrong.
  const answers = truth.map((t, i) => (i < 5 ? t : t === "real" ? "fake" : "real"));
  for (let i = 0; i < 10; i++) {
    await items
      .nth(i)
      .getByText(answers[i] === "real" ? "Real" : "Fake", { exact: true })
      .click();
  }
  await page.getByRole("button", { name: "Reveal" }).click();
  const score = page.getByTestId("solo-score");
  await expect(score).toHaveAttribute("data-you", "5");
  await expect(score).toHaveAttribute("data-total", "10");

  const revealed = await items.evaluateAll((els) =>
    els.map((el) => ({
      truth: el.getAttribute("data-truth"),
      d: el.getAttribute("data-d-verdict"),
      p: Number(el.getAttribute("data-d-probability")),
    })),
  );
  expect(revealed.map((r) => r.truth)).toEqual(truth);
  for (const r of revealed) expect(r.d).toBe(r.p >= 0.5 ? "real" : "fake");
  const dCorrect = revealed.filter((r) => r.d === r.truth).length;
  await expect(score).toHaveAttribute("data-d", String(dCorrect));
});

test("weights download and load again; corrupted and foreign files are refused with a clear message", async () => {
  const status = page.getByTestId("save-status");
  const downloading = page.waitForEvent("download");
  await page.getByTestId("download").click();
  const file = await (await downloading).path();
  const bytes = await readFile(file);

  await page
    .getByTestId("load-file")
    .setInputFiles({ name: "weights.stfs", mimeType: "application/octet-stream", buffer: bytes });
  await expect(status).toHaveAttribute("data-kind", "ok");
  await expect(status).toContainText("Loaded weights.stfs");

  const corrupted = Buffer.from(bytes);
  const at = corrupted.length - 100;
  corrupted.writeUInt8(corrupted.readUInt8(at) ^ 0xff, at);
  await page.getByTestId("load-file").setInputFiles({
    name: "broken.stfs",
    mimeType: "application/octet-stream",
    buffer: corrupted,
  });
  await expect(status).toHaveAttribute("data-kind", "error");
  await expect(status).toContainText("damaged");

  await page.getByTestId("load-file").setInputFiles({
    name: "notes.txt",
    mimeType: "text/plain",
    buffer: Buffer.from("these are not weights, just some text\n".repeat(4)),
  });
  await expect(status).toHaveAttribute("data-kind", "error");
  await expect(status).toContainText("not a Spot the Fake weights file");
  // The refused files left the running nets alone: training still works.
  const before = await stepOf(page);
  await page.getByRole("button", { name: "Step G" }).click();
  await expect.poll(() => stepOf(page)).toBe(before + 1);
});

test("a snapshot saved to the server loads back", async () => {
  const status = page.getByTestId("save-status");
  await page.getByTestId("save-server").click();
  await expect(status).toHaveAttribute("data-kind", "ok", { timeout: 20_000 });
  await expect(status).toContainText("Saved step");
  const list = page.getByTestId("saved-list");
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await list.getByRole("button", { name: "Load" }).click();
  await expect(status).toContainText("Loaded the snapshot from step");
  expect(await page.evaluate(() => localStorage.getItem("spot-the-fake:studio-run"))).toContain(
    "ownerToken",
  );
});
