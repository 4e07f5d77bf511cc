import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { sqliteFilePath } from "@/server/db";
import { tempDatabaseUrl } from "./server-harness";

describe("the server process", () => {
  it("creates and migrates its database at start and stops cleanly on SIGTERM", async () => {
    const dbUrl = tempDatabaseUrl();
    const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts", "--dev"], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATABASE_URL: dbUrl, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 90_000);
      child.stdout.on("data", () => {
        if (output.includes("Spot the Fake is running")) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    expect(existsSync(sqliteFilePath(dbUrl)!)).toBe(true);
    const exit = new Promise<number | null>((resolve) => child.on("exit", resolve));
    child.kill("SIGTERM");
    expect(await exit).toBe(0);
    expect(output).toContain("stopped cleanly");
  }, 120_000);
});
