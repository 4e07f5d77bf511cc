// Students as counterfeiters on the real server: the teacher (tiny preset) opens the forge, two of
// three students forge on their phones, the server re-draws their noise vectors, the next round
// hides the forgeries among the other digits — never showing one to its author — and every
// classmate fooled pays the forger.
import { expect, test, type Page } from "@playwright/test";
import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { phone } from "./helpers";

const SHOTS = "test-results/forge";
const ROUND_SIZE = 10;
const POINTS_PER_FOOLED = 50;

/** The 784 grey values of every digit canvas under `selector` (ink = 255, as the server stores). */
async function digits(page: Page, selector: string): Promise<number[][]> {
  return page.locator(selector).evaluateAll((nodes) =>
    nodes.map((node) => {
      const canvas = node.querySelector("canvas")!;
      const data = canvas.getContext("2d")!.getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => 255 - data[i * 4]!);
    }),
  );
}

const key = (pixels: ArrayLike<number>) => Array.from(pixels).join(",");

async function number(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).first().textContent()) ?? "";
  return Number(text.replace(/[^\d-]/g, ""));
}

/** The points shown beside each image of a student's reveal. */
async function answerPoints(page: Page): Promise<number> {
  const texts = await page.getByTestId("reveal-item").allTextContents();
  return texts.reduce((sum, t) => sum + Number(/\+(\d+)\s*$/.exec(t)?.[1] ?? 0), 0);
}

async function answerAll(page: Page, verdict: "Real" | "Fake", count: number) {
  const items = page.getByTestId("round-item");
  await expect(items).toHaveCount(count);
  for (let k = 0; k < count; k++) {
    await items.nth(k).getByRole("button", { name: verdict }).click();
    await expect(items.nth(k).getByText("Locked in")).toBeVisible();
  }
}

/**
 * Waits for the forge to draw, moves a dial or picks which digit to forge, and submits; returns
 * what the phone drew.
 */
async function forgeOn(
  page: Page,
  move: { dial: number } | { forgeA: number } | null,
): Promise<number[]> {
  const digit = page.getByTestId("forge-digit");
  await expect(digit).toHaveAttribute("data-frame", /^[1-9]/, { timeout: 60_000 });
  await expect(page.getByTestId("forge-suspicion")).toHaveText(/\d+%/);
  if (move) {
    const before = Number(await digit.getAttribute("data-frame"));
    if ("dial" in move) {
      await page.getByTestId("forge-dial-0").fill(String(move.dial));
    } else {
      // The tiny preset's G has the classroom's 10-way code: pick one the noise does not name.
      const pick = page.getByRole("button", { name: `Forge a ${move.forgeA}` });
      if ((await pick.getAttribute("aria-pressed")) === "true") {
        await page.getByRole("button", { name: `Forge a ${(move.forgeA + 1) % 10}` }).click();
        await expect(digit).not.toHaveAttribute("data-frame", String(before));
      }
      const mid = Number(await digit.getAttribute("data-frame"));
      await pick.click();
      await expect(pick).toHaveAttribute("aria-pressed", "true");
      await expect(digit).not.toHaveAttribute("data-frame", String(mid));
    }
    await expect(digit).not.toHaveAttribute("data-frame", String(before));
  }
  const drawn = (await digits(page, "[data-testid=forge-digit]"))[0]!;
  await page.getByTestId("forge-submit").click();
  await expect(page.getByTestId("forge-status")).toContainText("Submitted!");
  return drawn;
}

test("two of three students forge; the next round hides their forgeries from their authors and pays for fooling", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });

  const host = await (
    await browser.newContext({ viewport: { width: 1280, height: 800 } })
  ).newPage();
  await host.goto("/host?preset=tiny&backend=webgl");
  await host.getByRole("button", { name: "Create a room" }).click();
  const code = ((await host.getByTestId("join-code").textContent()) ?? "").trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  await host.getByRole("button", { name: "Start training" }).click();
  await host.getByLabel("Images per round").fill(String(ROUND_SIZE));
  await host.getByLabel("Seconds per round").fill("120");
  await host.getByRole("button", { name: "Apply" }).click();
  await expect(host.getByRole("button", { name: "Apply" })).toBeHidden();

  const ada = await phone(browser, code, "Ada");
  const grace = await phone(browser, code, "Grace");
  const alan = await phone(browser, code, "Alan");
  await expect(host.getByText(/Room has fakes from step \d+/)).toBeVisible({ timeout: 240_000 });

  // ---- the forge phase: every phone shows the forge; Ada and Grace forge, Alan does not.
  await host.getByRole("button", { name: /Open the forge/ }).click();
  await expect(host.getByTestId("forge-stage")).toBeVisible();
  for (const p of [ada, grace, alan]) await expect(p.getByTestId("forge")).toBeVisible();
  const adaDrawn = await forgeOn(ada, { dial: 2.5 });
  await ada.getByTestId("forge-shuffle").click();
  await expect(ada.getByTestId("forge-digit")).not.toHaveAttribute("data-frame", "0");
  const graceDrawn = await forgeOn(grace, { forgeA: 7 });
  await expect(host.getByTestId("forge-submitted")).toContainText("2");
  // A reload keeps Ada's seat, and her phone shows the forgery still waiting for a round.
  await ada.reload();
  await expect(ada.getByTestId("forge")).toBeVisible({ timeout: 30_000 });
  await expect(ada.getByTestId("forge-status")).toContainText("Submitted!");
  await ada.screenshot({ path: `${SHOTS}/phone-forge.png`, fullPage: true });
  await host.screenshot({ path: `${SHOTS}/projector-forge.png` });

  // The server drew each forgery itself from the vector: its image (shown back on the phone)
  // matches what the phone drew, within one grey level of float rounding between backends.
  for (const [page, drawn] of [
    [ada, adaDrawn],
    [grace, graceDrawn],
  ] as const) {
    const server = (await digits(page, "[data-testid=forge-status]"))[0]!;
    expect(Math.max(...server.map((v, i) => Math.abs(v - drawn[i]!)))).toBeLessThanOrEqual(2);
  }
  const db = new Database(process.env.E2E_DB!, { readonly: true });
  const forgeries = db
    .prepare(
      `SELECT f.id, f.noise, f.image, p.nickname FROM Forgery f JOIN Player p ON p.id = f.playerId`,
    )
    .all() as { id: string; noise: Buffer; image: Buffer; nickname: string }[];
  expect(forgeries.map((f) => f.nickname).sort()).toEqual(["Ada", "Grace"]);
  for (const f of forgeries) {
    expect(f.noise.byteLength % 4).toBe(0);
    expect(f.noise.byteLength).toBeGreaterThan(0);
    expect(f.image.byteLength).toBe(784);
  }
  // Grace asked for a 7: the code of the noise the server stored names 7.
  const graceNoise = forgeries.find((f) => f.nickname === "Grace")!.noise;
  const graceCode = new Float32Array(
    graceNoise.buffer.slice(graceNoise.byteOffset, graceNoise.byteOffset + 40),
  );
  expect(graceCode.indexOf(Math.max(...graceCode))).toBe(7);
  const imageOf = (nickname: string) => key(forgeries.find((f) => f.nickname === nickname)!.image);

  // ---- the next round: Alan sees all ten, each forger nine — never their own.
  await host.getByRole("button", { name: "Start round 1" }).click();
  await expect(alan.getByTestId("round-item")).toHaveCount(ROUND_SIZE);
  await expect(ada.getByTestId("round-item")).toHaveCount(ROUND_SIZE - 1);
  await expect(grace.getByTestId("round-item")).toHaveCount(ROUND_SIZE - 1);
  const seen = {
    ada: new Set((await digits(ada, "[data-testid=round-item]")).map(key)),
    grace: new Set((await digits(grace, "[data-testid=round-item]")).map(key)),
    alan: new Set((await digits(alan, "[data-testid=round-item]")).map(key)),
  };
  expect(seen.alan.has(imageOf("Ada"))).toBe(true);
  expect(seen.alan.has(imageOf("Grace"))).toBe(true);
  expect(seen.ada.has(imageOf("Ada"))).toBe(false);
  expect(seen.ada.has(imageOf("Grace"))).toBe(true);
  expect(seen.grace.has(imageOf("Grace"))).toBe(false);
  expect(seen.grace.has(imageOf("Ada"))).toBe(true);
  const played = db.prepare(`SELECT COUNT(*) AS n FROM Item WHERE forgeryId IS NOT NULL`).get() as {
    n: number;
  };
  expect(played.n).toBe(2);
  db.close();

  // Alan calls everything real (fooled by both), Grace too (fooled by Ada's), Ada calls
  // everything fake (catches Grace's).
  // All three at once, as in class (one after another outlasted the round on a loaded machine).
  await Promise.all([
    answerAll(alan, "Real", ROUND_SIZE),
    answerAll(grace, "Real", ROUND_SIZE - 1),
    answerAll(ada, "Fake", ROUND_SIZE - 1),
  ]);
  await host.getByRole("button", { name: "Reveal now" }).click();
  for (const p of [ada, grace, alan]) await expect(p.getByTestId("round-points")).toBeVisible();

  await expect(ada.getByTestId("my-forgery-fooled")).toHaveText("2");
  await expect(grace.getByTestId("my-forgery-fooled")).toHaveText("1");
  await expect(alan.getByTestId("my-forgery")).toHaveCount(0);
  await expect(ada.getByTestId("my-forgery")).toContainText(`+${2 * POINTS_PER_FOOLED}`);
  await expect(grace.getByTestId("my-forgery")).toContainText(`+${POINTS_PER_FOOLED}`);
  expect(await number(ada, "round-points")).toBe((await answerPoints(ada)) + 2 * POINTS_PER_FOOLED);
  expect(await number(grace, "round-points")).toBe((await answerPoints(grace)) + POINTS_PER_FOOLED);
  expect(await number(alan, "round-points")).toBe(await answerPoints(alan));
  // Everyone else's reveal names the authors.
  await expect(alan.getByTestId("forgery-author")).toHaveCount(2);
  await expect(alan.getByTestId("forgery-author").filter({ hasText: "Ada" })).toContainText(
    "fooled 2",
  );
  await ada.screenshot({ path: `${SHOTS}/phone-reveal.png`, fullPage: true });

  // The projector: each forgery's author and whom it fooled, and the best counterfeiter.
  await expect(host.getByTestId("reveal-forgery")).toHaveCount(2);
  await expect(host.getByTestId("reveal-forgery").filter({ hasText: "Ada" })).toContainText(
    "fooled 2 of 2",
  );
  await expect(host.getByTestId("best-counterfeiter")).toContainText("Ada");
  const board = host.getByRole("list", { name: "Leaderboard" });
  await expect(
    board.getByRole("listitem").filter({ hasText: "Ada" }).getByTestId("leaderboard-fooled"),
  ).toHaveText("2");
  await host.screenshot({ path: `${SHOTS}/projector-reveal.png`, fullPage: true });

  // After the reveal a student may open the forge again from the results.
  await alan.getByTestId("open-forge").click();
  await expect(alan.getByTestId("forge")).toBeVisible();
  await expect(alan.getByTestId("forge-digit")).toHaveAttribute("data-frame", /^[1-9]/, {
    timeout: 60_000,
  });
});
