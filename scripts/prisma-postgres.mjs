// The PostgreSQL variant of the data model, derived from prisma/schema.prisma so the model is
// written once. Only the datasource provider and the generated client's folder differ.
//
//   node scripts/prisma-postgres.mjs schema           writes prisma/postgres/schema.prisma
//   node scripts/prisma-postgres.mjs check            exits 1 if that file is stale
//   node scripts/prisma-postgres.mjs <prisma args>    writes it, then runs the Prisma CLI offline
//                                                     with prisma.postgres.config.ts
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SQLITE_SCHEMA = path.join(root, "prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join(root, "prisma", "postgres", "schema.prisma");

const HEADER =
  "// GENERATED from prisma/schema.prisma by scripts/prisma-postgres.mjs — do not edit.\n" +
  "// Change prisma/schema.prisma, then run `npm run db:postgres:schema`.\n\n";

function replaceOnce(text, pattern, replacement, what) {
  const matches = text.match(new RegExp(pattern.source, pattern.flags + "g"));
  if (matches?.length !== 1) {
    throw new Error(
      `prisma/schema.prisma: expected exactly one ${what}, found ${matches?.length ?? 0}`,
    );
  }
  return text.replace(pattern, replacement);
}

/** The PostgreSQL schema text for a given SQLite schema text. */
export function postgresSchemaFrom(sqliteSchema) {
  let text = replaceOnce(
    sqliteSchema,
    /(datasource\s+db\s*\{[^}]*provider\s*=\s*)"sqlite"/,
    '$1"postgresql"',
    'datasource provider = "sqlite"',
  );
  text = replaceOnce(
    text,
    /(output\s*=\s*)"\.\.\/server\/generated\/prisma"/,
    '$1"../../server/generated/prisma-pg"',
    'generator output = "../server/generated/prisma"',
  );
  return HEADER + text;
}

function expected() {
  return postgresSchemaFrom(readFileSync(SQLITE_SCHEMA, "utf8"));
}

function current() {
  try {
    return readFileSync(POSTGRES_SCHEMA, "utf8");
  } catch {
    return null;
  }
}

function main(args) {
  if (args[0] === "check") {
    if (current() !== expected()) {
      console.error(
        "prisma/postgres/schema.prisma is stale: run `npm run db:postgres:schema` and commit it.",
      );
      return 1;
    }
    return 0;
  }
  const text = expected();
  if (current() !== text) writeFileSync(POSTGRES_SCHEMA, text);
  if (args[0] === "schema") return 0;

  const require = createRequire(import.meta.url);
  const cli = require.resolve("prisma/build/index.js");
  const result = spawnSync(
    process.execPath,
    [cli, ...args, "--config", path.join(root, "prisma.postgres.config.ts")],
    {
      cwd: root,
      stdio: "inherit",
      env: {
        ...process.env,
        // The schema only names env("DATABASE_URL"); commands that need no database still parse it.
        DATABASE_URL: process.env.DATABASE_URL ?? "postgresql://localhost:5432/spot_the_fake",
        PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? cli,
        PRISMA_HIDE_UPDATE_MESSAGE: "1",
      },
    },
  );
  return result.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
