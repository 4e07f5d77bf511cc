// Prisma CLI configuration for PostgreSQL (used by server/migrate.ts and
// scripts/prisma-postgres.mjs). Same offline JS schema engine as prisma.config.ts, on the pg
// driver adapter.
import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// Two gaps of @prisma/adapter-pg 6.19 under the JS schema engine are closed here, for the CLI only
// (the app's own client meets neither):
//
// 1. The engine reads PostgreSQL's catalogs, whose columns have the internal types `name` and
//    `"char"`; the adapter maps neither, so every migrate command fails with "Column type 'name'
//    could not be deserialized" (prisma/prisma#27403). pg hands both over as plain strings, so
//    reporting those columns as text is exact.
const TEXT = 25;
const TEXT_ARRAY = 1009;
// name, "char" → text; name[], "char"[] → text[]
const RENAME: Record<number, number> = { 19: TEXT, 18: TEXT, 1003: TEXT_ARRAY, 1002: TEXT_ARRAY };

function catalogTypesAsText<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const f of fields ?? []) f.dataTypeID = RENAME[f.dataTypeID] ?? f.dataTypeID;
  return result;
}

class CatalogClient extends pg.Client {}
const query = pg.Client.prototype.query as (...args: unknown[]) => unknown;
(CatalogClient.prototype as unknown as { query: unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  const callback = args.at(-1);
  if (typeof callback === "function") {
    args[args.length - 1] = (err: unknown, res: unknown) =>
      callback(err, err ? res : catalogTypesAsText(res));
    return query.apply(this, args);
  }
  const out = query.apply(this, args);
  return out instanceof Promise ? out.then(catalogTypesAsText) : out;
};

// 2. The adapter's shadow database (for `migrate diff --from-migrations` and `migrate dev`) is
//    built from a config whose connection string overrides the shadow's name, so the migrations
//    would be replayed into the real database; and it is dropped while its pool is still open.
//    This factory connects to a really separate database and closes its pool before dropping it.
function migrationAdapter(url: string) {
  const main = new PrismaPg({ connectionString: url, Client: CatalogClient });
  return {
    provider: "postgres" as const,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    async connectToShadowDb() {
      const admin = await main.connect();
      const database = `prisma_migrate_shadow_db_${randomUUID()}`;
      await admin.executeScript(`CREATE DATABASE "${database}"`);
      const shadowUrl = new URL(url);
      shadowUrl.pathname = `/${database}`;
      const shadow = await new PrismaPg({
        connectionString: shadowUrl.toString(),
        Client: CatalogClient,
      }).connect();
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE "${database}"`);
        await admin.dispose();
      };
      return shadow;
    },
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "postgres", "schema.prisma"),
  migrations: { path: path.join("prisma", "postgres", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url?.startsWith("postgres")) throw new Error("DATABASE_URL must be a postgresql:// URL");
    return migrationAdapter(url);
  },
});
