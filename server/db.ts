// One Prisma client per process on a driver adapter (no engine binary): better-sqlite3 for a
// `file:` URL (the default), pg for a `postgresql://` URL. Both clients are generated from the
// same data model (prisma/postgres/schema.prisma is derived from prisma/schema.prisma).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import path from "node:path";
import { PrismaClient } from "./generated/prisma/client";

/**
 * The client type the server codes against: the SQLite client's. The PostgreSQL client is cast to
 * it, which is safe because both are generated from one data model, so their model delegates take
 * and return the same shapes; PostgreSQL only adds options (e.g. `mode: "insensitive"`,
 * `skipDuplicates`) that this type never lets code use. Raw SQL is the one place the providers
 * differ: write it portably (quoted identifiers, functions both have) or branch on
 * `databaseProvider`.
 */
export type Db = PrismaClient;

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

export function sqliteFilePath(url: string): string | null {
  if (!url.startsWith("file:")) return null;
  const file = url.slice("file:".length);
  return path.isAbsolute(file) ? file : path.resolve(process.cwd(), file);
}

const providers = new WeakMap<Db, DatabaseProvider>();

export async function openDatabase(url: string): Promise<Db> {
  const provider = databaseProvider(url);
  const db = provider === "sqlite" ? await openSqlite(url) : await openPostgres(url);
  providers.set(db, provider);
  return db;
}

/** Flushes and closes: on SQLite the WAL is checkpointed so the file is complete on its own. */
export async function closeDatabase(db: Db): Promise<void> {
  if (providers.get(db) === "sqlite") await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
  await db.$disconnect();
}

async function openSqlite(url: string): Promise<Db> {
  const file = sqliteFilePath(url)!;
  const db = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: `file:${file}` }) });
  // The adapter does not enable WAL. NORMAL survives a process kill; busy_timeout rides out a
  // concurrent migrate or backup.
  await db.$queryRawUnsafe("PRAGMA journal_mode=WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous=NORMAL");
  await db.$queryRawUnsafe("PRAGMA busy_timeout=5000");
  await db.$executeRawUnsafe("PRAGMA foreign_keys=ON");
  return db;
}

async function openPostgres(url: string): Promise<Db> {
  // Loaded only when used, so a SQLite process never loads the pg driver or the second client.
  const [{ PrismaClient: PgClient }, { PrismaPg }] = await Promise.all([
    import("./generated/prisma-pg/client"),
    import("@prisma/adapter-pg"),
  ]);
  const db = new PgClient({ adapter: new PrismaPg({ connectionString: url }) });
  await db.$connect(); // fail at start, not on the first request, if the server is unreachable
  return db as unknown as Db;
}
