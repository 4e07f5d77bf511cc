// A whole class on the real server: the teacher's browser trains (tiny preset) and hosts, three
// students on phones play two rounds, one reloads mid-round and keeps their answers and score.
import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { phone } from "./helpers";

const SHOTS = "test-results/classroom";
const ROUND_SIZE = 6;

/** Clicks a verdict on the first `count` unanswered images, checking each one locks in. */
async function answer(page: Page, verdicts: ("Real" | "Fake")[], from = 0) {
  const items = page.getByTestId("round-item");
  for (const [k, verdict] of verdicts.entries()) {
    const item = items.nth(from + k);
    await item.getByRole("button", { name: verdict }).click();
    await expect(item.getByText("Locked in")).toBeVisible();
  }
}

async function number(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? "";
  return Number(text.replace(/[^\d-]/g, ""));
}

async function rightCount(page: Page): Promise<number> {
  return page.getByTestId("reveal-item").filter({ hasText: "Right" }).count();
}

test("a host and three students play two rounds; a reload mid-round keeps answers and score", async ({
  browser,
}) => {
  test.setTimeout(600_000);
  mkdirSync(SHOTS, { recursive: true });

  const host = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ).newPage();
  await host.goto("/host?preset=tiny&backend=webgl");
  await host.getByRole("button", { name: "Create a room" }).click();
  const code = ((await host.getByTestId("join-code").textContent()) ?? "").trim();
  expect(code).toMatch(/^[A-Z0-9]{6}$/);
  await expect(host).toHaveURL(new RegExp(`/host\\?code=${code}`));
  await expect(host.getByRole("img", { name: /QR code to join/ })).toBeVisible();
  await host.getByRole("button", { name: "Start training" }).click();

  // Smaller, longer rounds keep the test about behaviour, not reflexes.
  await host.getByLabel("Images per round").fill(String(ROUND_SIZE));
  await host.getByLabel("Seconds per round").fill("120");
  await host.getByRole("button", { name: "Apply" }).click();
  await expect(host.getByRole("button", { name: "Apply" })).toBeHidden();

  const [ada, grace, alan] = [
    await phone(browser, code, "Ada"),
    await phone(browser, code, "Grace"),
    await phone(browser, code, "Alan"),
  ];
  const lobby = host.getByTestId("lobby-players");
  for (const name of ["Ada", "Grace", "Alan"]) await expect(lobby).toContainText(name);
  await expect(host.getByTestId("player-count")).toHaveText("3");

  // A taken nickname is refused with the server's message, and the form stays usable.
  const copycat = await (
    await browser.newContext({ viewport: { width: 390, height: 844 } })
  ).newPage();
  await copycat.goto(`/play/${code}`);
  await copycat.getByLabel("Nickname").fill("ada");
  await copycat.getByRole("button", { name: "Join the game" }).click();
  await expect(
    copycat.getByRole("alert").filter({ hasText: "already has that nickname" }),
  ).toBeVisible();
  await copycat.context().close();

  await host.screenshot({ path: `${SHOTS}/projector-lobby.png` });
  await ada.screenshot({ path: `${SHOTS}/phone-lobby.png` });

  // Rounds need fakes: the host's browser trains and uploads them.
  await expect(host.getByText(/Room has fakes from step \d+/)).toBeVisible({ timeout: 240_000 });
  await expect(host.getByTestId("trainer-step")).not.toHaveText("step 0");

  // ---- round 1: Ada says real to everything, Grace fake; Alan reloads after three answers.
  await host.getByRole("button", { name: "Start round 1" }).click();
  for (const p of [ada, grace, alan])
    await expect(p.getByTestId("round-item")).toHaveCount(ROUND_SIZE);
  await expect(
    host.getByRole("list", { name: "This round's images" }).getByRole("listitem"),
  ).toHaveCount(ROUND_SIZE);
  await answer(ada, Array(ROUND_SIZE).fill("Real"));
  await answer(grace, Array(ROUND_SIZE).fill("Fake"));
  await answer(alan, ["Real", "Fake", "Real"]);
  await alan.reload();
  await expect(alan.getByTestId("round-item")).toHaveCount(ROUND_SIZE);
  await expect(alan.getByText("Locked in")).toHaveCount(3);
  await expect(alan.getByText(`3/${ROUND_SIZE} answered`)).toBeVisible();
  await answer(alan, ["Fake", "Real", "Fake"], 3);
  await expect(host.getByTestId("answers-received")).toHaveText(String(3 * ROUND_SIZE));
  await ada.screenshot({ path: `${SHOTS}/phone-round.png` });
  await host.screenshot({ path: `${SHOTS}/projector-round.png` });

  await host.getByRole("button", { name: "Reveal now" }).click();
  for (const p of [ada, grace, alan]) await expect(p.getByTestId("round-points")).toBeVisible();
  // Between "all real" and "all fake", every image was called right exactly once.
  expect((await rightCount(ada)) + (await rightCount(grace))).toBe(ROUND_SIZE);
  const round1 = {
    ada: await number(ada, "my-score"),
    grace: await number(grace, "my-score"),
    alan: await number(alan, "my-score"),
  };
  expect(await number(ada, "round-points")).toBe(round1.ada);
  await expect(host.getByTestId("accuracy")).toContainText("The class");
  const board = host.getByRole("list", { name: "Leaderboard" });
  await expect(board).toContainText("The Police (D)");
  await expect(board.getByRole("listitem").filter({ hasText: "Ada" })).toContainText(
    String(round1.ada),
  );
  await expect(host.getByTestId("reveal-card")).toHaveCount(ROUND_SIZE);
  await host.screenshot({ path: `${SHOTS}/projector-reveal.png`, fullPage: true });
  await alan.screenshot({ path: `${SHOTS}/phone-reveal.png`, fullPage: true });

  // The class's verdicts went back to the trainer: the human critic H learned from them.
  await expect(host.getByText(/Human critic learned from \d+ verdicts/)).toBeVisible({
    timeout: 60_000,
  });

  // ---- round 2: a short deadline ends it; Alan reloads mid-round and keeps his score.
  await host.getByLabel("Seconds per round").fill("45");
  await host.getByRole("button", { name: "Apply" }).click();
  await expect(host.getByRole("button", { name: "Apply" })).toBeHidden();
  await host.getByRole("button", { name: "Start round 2" }).click();
  for (const p of [ada, grace, alan])
    await expect(p.getByTestId("round-item")).toHaveCount(ROUND_SIZE);
  await answer(ada, ["Real", "Fake"]);
  await answer(alan, ["Fake", "Fake"]);
  await alan.reload();
  await expect(alan.getByText("Locked in")).toHaveCount(2);
  await answer(alan, ["Real"], 2);
  // Grace answers nothing; the deadline reveals the round without the teacher.
  for (const p of [ada, grace, alan]) {
    await expect(p.getByTestId("round-points")).toBeVisible({ timeout: 90_000 });
  }
  expect(await number(ada, "my-score")).toBe(round1.ada + (await number(ada, "round-points")));
  expect(await number(alan, "my-score")).toBe(round1.alan + (await number(alan, "round-points")));
  expect(await number(grace, "round-points")).toBe(0);
  expect(await number(grace, "my-score")).toBe(round1.grace);
  await expect(alan.getByTestId("reveal-item").filter({ hasText: "No answer" })).toHaveCount(
    ROUND_SIZE - 3,
  );
  await expect(host.getByRole("region", { name: /Humans versus police/ })).toBeVisible();
  await host.screenshot({ path: `${SHOTS}/projector-reveal-2.png`, fullPage: true });
});
