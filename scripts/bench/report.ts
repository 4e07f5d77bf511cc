// Writes one benchmark's section into docs/BENCHMARKS.md between markers, with date and machine,
// leaving the other sections as they are.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${new Date().toISOString().slice(0, 10)} · ${cpu} · ${os.cpus().length} cores · ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB · Node ${process.version} · load average ${os.loadavg()[0]!.toFixed(1)} when written (the machine is shared: compare rows as ratios)`;
}

/**
 * Replaces (or appends) the section between `<!-- prefix:id -->` markers in a docs/ file,
 * leaving the hand-written text and the other sections as they are.
 */
export function writeMarkedSection(opts: {
  file: string;
  prefix: string;
  id: string;
  heading: string;
  title: string;
  body: string;
}): void {
  const file = path.resolve(import.meta.dirname, "..", "..", "docs", opts.file);
  const start = `<!-- ${opts.prefix}:${opts.id} -->`;
  const end = `<!-- /${opts.prefix}:${opts.id} -->`;
  const section = `${start}\n${opts.heading} ${opts.title}\n\n_Measured ${machineLine()}._\n\n${opts.body}\n${end}`;
  const fallback = `# ${opts.file.replace(/\.md$/, "").replace(/^\w/, (c) => c.toUpperCase())}\n`;
  const current = existsSync(file) ? readFileSync(file, "utf8") : fallback;
  const a = current.indexOf(start);
  const b = current.indexOf(end);
  const next =
    a >= 0 && b > a
      ? current.slice(0, a) + section + current.slice(b + end.length)
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
}

export function writeBenchSection(id: string, title: string, body: string): void {
  writeMarkedSection({ file: "BENCHMARKS.md", prefix: "bench", id, heading: "##", title, body });
}
