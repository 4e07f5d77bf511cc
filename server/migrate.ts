// Applies committed migrations at start with Prisma's own `migrate deploy` (JS schema engine,
// offline), so a fresh clone needs no manual database step. The URL picks the migrations:
// prisma/migrations for SQLite, prisma/postgres/migrations (prisma.postgres.config.ts) for
// PostgreSQL.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { databaseProvider, sqliteFilePath } from "./db";
import type { Logger } from "./logger";

const run = promisify(execFile);

export async function migrateDatabase(databaseUrl: string, logger: Logger): Promise<void> {
  const root = process.cwd();
  const cli = path.join(root, "node_modules", "prisma", "build", "index.js");
  if (!existsSync(cli)) throw new Error(`Prisma CLI not found at ${cli}; run npm install`);
  const provider = databaseProvider(databaseUrl);
  const file = sqliteFilePath(databaseUrl);
  if (file) mkdirSync(path.dirname(file), { recursive: true });
  const config = provider === "postgresql" ? ["--config", "prisma.postgres.config.ts"] : [];
  const started = Date.now();
  logger.info({ provider }, "applying database migrations");
  const { stdout } = await run(process.execPath, [cli, "migrate", "deploy", ...config], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      // The JS engine needs no binary; pointing at any file stops Prisma from downloading one.
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? cli,
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  const applied = stdout.match(/following migration\(s\) have been applied[\s\S]*/)?.[0];
  logger.info(
    { ms: Date.now() - started },
    applied ? "migrations applied" : "database is up to date",
  );
}
