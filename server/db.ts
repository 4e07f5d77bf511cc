// One Prisma client per process, on the better-sqlite3 driver adapter (no engine binary).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import path from "node:path";
import { PrismaClient } from "./generated/prisma/client";

export type Db = PrismaClient;

export function sqliteFilePath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const file = url.slice("file:".length);
  return path.isAbsolute(file) ? file : path.resolve(process.cwd(), file);
}

export async function openDatabase(url: string): Promise<Db> {
  const file = sqliteFilePath(url);
  if (!file) {
    throw new Error(
      "This build is generated for SQLite. For PostgreSQL follow README § PostgreSQL (npm run db:postgres).",
    );
  }
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  // The adapter does not enable WAL. NORMAL survives a process kill; busy_timeout rides out a
  // concurrent migrate or backup.
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout=5000");
  await db.$executeRawUnsafe("PRAGMA foreign_keys=ON");
  return db;
}
