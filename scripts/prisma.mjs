// Runs the Prisma CLI offline: the JS schema engine needs no binary, and pointing
// PRISMA_SCHEMA_ENGINE_BINARY at an existing file stops Prisma from trying to download one.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const cli = require.resolve("prisma/build/index.js");
const databaseUrl = process.env.DATABASE_URL ?? "file:./data/spot-the-fake.db";
// The driver adapter opens the SQLite file even for `migrate diff`: its folder must exist.
if (databaseUrl.startsWith("file:")) {
  mkdirSync(path.dirname(path.resolve(databaseUrl.slice(5))), { recursive: true });
}
const result = spawnSync(process.execPath, [cli, ...process.argv.slice(2)], {
  stdio: "inherit",
  env: {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? cli,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
  },
});
process.exit(result.status ?? 1);
