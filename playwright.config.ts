import { defineConfig } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromiumLaunchOptions } from "./scripts/bench/chromium";

// A free port and a throw-away database for every run: the real server, as users get it.
const port =
  process.env.E2E_PORT ??
  execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
// Workers load this file again: they inherit the port and database chosen by the main process.
process.env.E2E_PORT = port;
// Not under test-results/: Playwright empties that folder when the run starts.
process.env.E2E_DB ??= path.join(mkdtempSync(path.join(tmpdir(), "stf-e2e-")), "e2e.db");
const dbFile = process.env.E2E_DB;

const baseURL = `http://localhost:${port}`;

export default defineConfig({
  testDir: "tests/e2e",
  timeout: 120_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  // One at a time: every spec trains a GAN in its browser, and two at once on 2 cores starved
  // the classroom test past its round deadline.
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: chromiumLaunchOptions,
  },
  projects: [{ name: "chromium", use: { browserName: "chromium" } }],
  webServer: {
    command: "npx tsx server/index.ts",
    url: `${baseURL}/`,
    timeout: 120_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATABASE_URL: `file:${dbFile}`,
      LOG_LEVEL: "warn",
    },
  },
});
