import { expect, test } from "@playwright/test";

test("TensorFlow.js loads in the page and runs on the WebGL backend", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto("/check");
  const report = page.getByTestId("device-report");
  await expect(report).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("backend")).toHaveText("webgl");
  expect(errors).toEqual([]);
});
