// The teacher's controls on the real server, without training: lock, kick, refusals, resume
// after a reload, ending the session. Every refusal must reach the person as a readable message.
import { expect, test, type Browser, type Page } from "@playwright/test";

async function phonePage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
  });
  return context.newPage();
}

async function join(page: Page, code: string, nickname: string) {
  await page.goto(`/play/${code}`);
  await page.getByLabel("Nickname").fill(nickname);
  await page.getByRole("button", { name: "Join the game" }).click();
}

test("lock, kick, refusals, host reload and the end of the session", async ({ browser }) => {
  const host = await (
    await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ).newPage();
  await host.goto("/host");
  await host.getByRole("button", { name: "Create a room" }).click();
  const code = ((await host.getByTestId("join-code").textContent()) ?? "").trim();

  const ada = await phonePage(browser);
  const bob = await phonePage(browser);
  await join(ada, code, "Ada");
  await join(bob, code, "Bob");
  await expect(bob.getByText("Waiting for the teacher")).toBeVisible();
  await expect(host.getByTestId("player-count")).toHaveText("2");

  // Client-side validation before anything is sent.
  const late = await phonePage(browser);
  await late.goto(`/play/${code}`);
  await late.getByLabel("Nickname").fill("x");
  await late.getByRole("button", { name: "Join the game" }).click();
  await expect(late.getByRole("alert").filter({ hasText: "at least 2 characters" })).toBeVisible();

  // A locked room admits nobody new; unlocking lets them in.
  await host.getByRole("button", { name: "Lock room" }).click();
  await expect(host.getByText("Room locked: no new players")).toBeVisible();
  await late.getByLabel("Nickname").fill("Late Larry");
  await late.getByRole("button", { name: "Join the game" }).click();
  await expect(late.getByRole("alert").filter({ hasText: "locked" })).toBeVisible();
  await host.getByRole("button", { name: "Unlock room" }).click();
  await late.getByRole("button", { name: "Join the game" }).click();
  await expect(late.getByText("Waiting for the teacher")).toBeVisible();

  // Rounds need fakes: without training the server refuses, and the teacher is told why.
  await host.getByRole("button", { name: "Start round 1" }).click();
  await expect(host.getByRole("alert").filter({ hasText: "Start training first" })).toBeVisible();

  // Kick Bob: his phone says so, and a reload does not bring his seat back.
  await host.getByText("Players (3)").click();
  await host.getByRole("button", { name: "Remove Bob" }).click();
  await host.getByRole("button", { name: "Remove Bob" }).click();
  await expect(bob.getByText("You were removed from this game")).toBeVisible();
  await expect(host.getByTestId("lobby-players")).not.toContainText("Bob");
  await bob.reload();
  await expect(bob.getByLabel("Nickname")).toBeVisible();

  // The teacher reloads: the saved host key resumes the same room.
  await host.reload();
  await expect(host.getByTestId("join-code")).toHaveText(code);
  await expect(host.getByTestId("lobby-players")).toContainText("Ada");

  // Ending needs a confirmation, then everyone sees the end.
  await host.getByRole("button", { name: "End session…" }).click();
  await host.getByRole("button", { name: "Yes, end it" }).click();
  await expect(host.getByRole("heading", { name: "This session has ended" })).toBeVisible();
  await expect(ada.getByRole("heading", { name: "The game has ended" })).toBeVisible();

  // A code with no room says so without revealing anything else.
  const stranger = await phonePage(browser);
  await join(stranger, "ZZZZZZ", "Someone");
  await expect(
    stranger.getByRole("alert").filter({ hasText: "No open game with that code" }),
  ).toBeVisible();
});
