// Writes one section of docs/RELIABILITY.md between markers (like scripts/bench/report.ts does for
// docs/BENCHMARKS.md), leaving the hand-written text and the other sections as they are.
import { writeMarkedSection } from "./report";

export function writeReliabilitySection(id: string, title: string, body: string): void {
  writeMarkedSection({
    file: "RELIABILITY.md",
    prefix: "reliability",
    id,
    heading: "###",
    title,
    body,
  });
}
