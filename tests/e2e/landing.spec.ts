import { expect, test } from "@playwright/test";

test("the landing page offers the three ways in", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Spot the Fake");
  await expect(page.getByRole("link", { name: "Host a class" })).toHaveAttribute("href", "/host");
  await expect(page.getByRole("link", { name: "Open the studio" })).toHaveAttribute(
    "href",
    "/studio",
  );
  await expect(page.getByLabel("Join code")).toBeVisible();
});

test("a malformed join code is explained, a good one routes to /play/CODE", async ({ page }) => {
  await page.goto("/");
  const input = page.getByLabel("Join code");
  await input.fill("ab1");
  await page.getByRole("button", { name: "Join" }).click();
  const form = page.getByRole("form", { name: "Join a class game" });
  await expect(form.getByRole("alert")).toContainText("6 letters and digits");
  await expect(page).toHaveURL(/\/$/);

  await input.fill("k7qx2m");
  await expect(input).toHaveValue("K7QX2M");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/play\/K7QX2M$/);
});

test("every page carries the security headers and is cross-origin isolated", async ({ page }) => {
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  expect(headers["cross-origin-opener-policy"]).toBe("same-origin");
  expect(headers["cross-origin-embedder-policy"]).toBe("require-corp");
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
});

test("on a phone the landing page fits the screen without sideways scrolling", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 667 });
  await page.goto("/");
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow).toBeLessThanOrEqual(0);
  await expect(page.getByRole("button", { name: "Join" })).toBeInViewport();
});

test("the address on the projector, /play, asks for the code and routes to the game", async ({
  page,
}) => {
  await page.goto("/play");
  await page.getByLabel("Join code").fill("K7QX2M");
  await page.getByRole("button", { name: "Join" }).click();
  await expect(page).toHaveURL(/\/play\/K7QX2M$/);
});
