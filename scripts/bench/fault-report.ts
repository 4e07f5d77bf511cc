// Writes one section of docs/RELIABILITY.md between markers (like scripts/bench/report.ts does for
// docs/BENCHMARKS.md), leaving the hand-written text and the other sections as they are.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { machineLine } from "./report";

export function writeReliabilitySection(id: string, title: string, body: string): void {
  const file = path.resolve(import.meta.dirname, "..", "..", "docs", "RELIABILITY.md");
  const start = `<!-- reliability:${id} -->`;
  const end = `<!-- /reliability:${id} -->`;
  const section = `${start}\n### ${title}\n\n_Measured ${machineLine()}._\n\n${body}\n${end}`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Reliability\n";
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + section + current.slice(b + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}
