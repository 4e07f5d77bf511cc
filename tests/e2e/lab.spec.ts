import { expect, test, type Page } from "@playwright/test";

// GAN Lab: the set-up comes from the URL, one D step changes only the police's map, one G step
// only the forgeries, and the page trains and draws at once. Screenshots at desktop and phone
// sizes land in test-results/lab/ for a person to look at.

const plane = (p: Page) => p.getByTestId("lab-plane");
const attr = async (p: Page, name: string) => (await plane(p).getAttribute(name)) ?? "";
const num = async (p: Page, name: string) => Number(await attr(p, name));

async function openReady(p: Page, query: string): Promise<void> {
  await p.goto(`/lab?${query}`);
  await expect(plane(p)).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await expect(plane(p)).not.toHaveAttribute("data-map", "");
}

test("reads its set-up from the URL; a D step changes only the map, a G step only the points", async ({
  page,
}) => {
  // No console errors and no Content-Security-Policy violations (e.g. an eval in a library).
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
    ),
  );
  await openReady(page, "target=moons&seed=3&k=2&noise=3&opt=rmsprop");
  await expect(page.getByRole("radio", { name: "Two moons" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(page.getByTestId("lab-setting-dStepsPerGStep")).toHaveValue("2");
  await expect(page.getByTestId("lab-setting-noiseDim")).toHaveValue("3");
  await expect(page.getByTestId("lab-setting-optimizer")).toHaveValue("rmsprop");

  const map0 = await attr(page, "data-map");
  const points0 = await attr(page, "data-points");
  expect(await num(page, "data-dsteps")).toBe(0);

  await page.getByRole("button", { name: "Step D" }).click();
  await expect(plane(page)).toHaveAttribute("data-dsteps", "1");
  await expect(plane(page)).not.toHaveAttribute("data-map", map0);
  expect(await attr(page, "data-points")).toBe(points0);
  expect(await num(page, "data-gsteps")).toBe(0);
  const map1 = await attr(page, "data-map");

  await page.getByRole("button", { name: "Step G" }).click();
  await expect(plane(page)).toHaveAttribute("data-gsteps", "1");
  await expect(plane(page)).not.toHaveAttribute("data-points", points0);
  expect(await attr(page, "data-map")).toBe(map1);
  expect(await num(page, "data-dsteps")).toBe(1);

  // The keyboard does the same (keys typed on a focused button are the button's).
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press("d");
  await expect(plane(page)).toHaveAttribute("data-dsteps", "2");
  await expect(plane(page)).not.toHaveAttribute("data-map", map1);
  expect(errors).toEqual([]);
});

test("plays and pauses: steps advance, the divergence is a number of bits, the curves fill", async ({
  page,
}) => {
  await openReady(page, "target=gaussian&seed=1");
  const js0 = await num(page, "data-js");
  expect(js0).toBeGreaterThan(0.5);
  await page.getByRole("button", { name: "Play" }).click();
  await expect(plane(page)).toHaveAttribute("data-playing", "1");
  await expect.poll(() => num(page, "data-gsteps"), { timeout: 60_000 }).toBeGreaterThan(60);
  await expect.poll(() => num(page, "data-steps-per-second")).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Pause" }).click();
  await expect(plane(page)).toHaveAttribute("data-playing", "0");
  const steps = await num(page, "data-gsteps");
  const js = await num(page, "data-js");
  expect(js).toBeGreaterThanOrEqual(0);
  expect(js).toBeLessThanOrEqual(1);
  await page.waitForTimeout(500);
  expect(await num(page, "data-gsteps")).toBe(steps);
  // D loss and G loss lines, JS and its floor.
  await expect(page.locator("#losses .u-legend")).toContainText("D loss");
  await expect(page.locator("#divergence .u-legend")).toContainText("JS divergence");
});

test("settings and presets live in the URL and survive a reload", async ({ page }) => {
  await openReady(page, "");
  await page.getByTestId("lab-setting-dStepsPerGStep").selectOption("5");
  await expect(page).toHaveURL(/[?&]k=5(&|$)/);
  await page.getByTestId("preset-mode-collapse").click();
  await expect(page).toHaveURL(/[?&]preset=mode-collapse(&|$)/);
  await expect(page).toHaveURL(/[?&]target=gaussians(&|$)/);
  await expect(page.getByText("Watch for:")).toBeVisible();
  await page.reload();
  await expect(plane(page)).toHaveAttribute("data-status", "ready", { timeout: 30_000 });
  await expect(page.getByRole("radio", { name: "8 Gaussians" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(page.getByTestId("preset-mode-collapse")).toHaveAttribute("aria-pressed", "true");
  // Changing the experiment drops the preset's label; the view toggles keep it.
  await page.getByRole("button", { name: "Slow motion" }).click();
  await expect(page).toHaveURL(/[?&]preset=mode-collapse(&|$)/);
  await page.getByTestId("lab-setting-noiseDim").selectOption("2");
  await expect(page).not.toHaveURL(/preset=/);
});

test("draw your own: painted points become the real data, and the URL carries them", async ({
  page,
}) => {
  await page.goto("/lab?target=custom");
  await expect(plane(page)).toHaveAttribute("data-status", "needsDrawing", { timeout: 30_000 });
  const box = (await plane(page).boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.25, box.y + box.height * 0.3);
  await page.mouse.down();
  for (let i = 0; i <= 20; i++) {
    await page.mouse.move(box.x + box.width * (0.25 + i * 0.025), box.y + box.height * 0.3);
  }
  await page.mouse.up();
  await expect(page.getByText(/Paint the real data/)).toContainText(/[1-9]\d* of 300/);
  await page.getByRole("button", { name: "Train on these points" }).click();
  await expect(plane(page)).toHaveAttribute("data-status", "ready");
  await expect(page).toHaveURL(/[?&]pts=[A-Za-z0-9_-]{4,}/);
  await expect(page.getByText(/Your own distribution: \d+ points/)).toBeVisible();
});

test("projector mode hides the controls and enlarges the plane", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await openReady(page, "target=ring");
  const small = (await plane(page).boundingBox())!.width;
  await page.getByRole("button", { name: "Projector" }).click();
  await expect(page).toHaveURL(/[?&]proj=1/);
  await expect(page.getByRole("heading", { name: "Settings" })).toHaveCount(0);
  await expect.poll(async () => (await plane(page).boundingBox())!.width).toBeGreaterThan(small);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();
});

test("screenshots: desktop 1280×800 and phone 390×844", async ({ page }) => {
  for (const [name, viewport] of [
    ["desktop", { width: 1280, height: 800 }],
    ["phone", { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport);
    await openReady(page, "target=ring&seed=2");
    await page.getByRole("button", { name: "Play" }).click();
    await expect.poll(() => num(page, "data-gsteps"), { timeout: 60_000 }).toBeGreaterThan(60);
    await page.getByRole("button", { name: "Pause" }).click();
    await page.screenshot({ path: `test-results/lab/${name}.png` });
    await page.screenshot({ path: `test-results/lab/${name}-full.png`, fullPage: true });
    // Nothing wider than the screen.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole("button", { name: "Projector" }).click();
  await page.screenshot({ path: "test-results/lab/projector.png" });
});
