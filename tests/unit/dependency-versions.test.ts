// RELIABILITY.md lists versions with known security fixes; every installed copy must be at or
// above them (engine.io pins an older ws, hence the npm override).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const MINIMUM: Record<string, string> = {
  next: "16.4.6",
  react: "19.3.1",
  "react-dom": "19.3.1",
  "socket.io": "4.8.4",
  "engine.io": "6.6.12",
  "socket.io-parser": "4.2.7",
  ws: "8.23.0",
};

function compare(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Every installed copy of a package, nested ones included. */
function installedVersions(name: string, dir = path.resolve("node_modules")): string[] {
  const found: string[] = [];
  const walk = (modules: string, depth: number) => {
    if (depth > 6) return;
    let entries: string[];
    try {
      entries = readdirSync(modules);
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(modules, entry);
      if (entry.startsWith("@")) {
        walk(full, depth);
        continue;
      }
      const relative = path.relative(modules, full);
      const scoped = path.basename(modules).startsWith("@")
        ? `${path.basename(modules)}/${relative}`
        : relative;
      if (scoped === name) {
        found.push(
          (JSON.parse(readFileSync(path.join(full, "package.json"), "utf8")) as { version: string })
            .version,
        );
      }
      walk(path.join(full, "node_modules"), depth + 1);
    }
  };
  walk(dir, 0);
  return found;
}

describe("dependencies with known security fixes", () => {
  for (const [name, minimum] of Object.entries(MINIMUM)) {
    it(`every installed ${name} is at least ${minimum}`, () => {
      const versions = installedVersions(name);
      expect(versions.length).toBeGreaterThan(0);
      for (const v of versions)
        expect(compare(v, minimum), `${name}@${v}`).toBeGreaterThanOrEqual(0);
    });
  }
});
