// Crash: SIGKILL the server process mid-round (twice), restart it on the same database: every
// acknowledged answer is on disk, the file passes integrity_check, everyone gets their seat back
// and the round goes on. `npm run bench:crash` runs the same trial with 20 kills.
import { describe, expect, it } from "vitest";
import { crashSummary, crashTrial } from "../../scripts/bench/fault-crash";

describe("kill -9 during rounds", () => {
  it("keeps every acknowledged answer and a sound database across two kills", async () => {
    const report = await crashTrial({ kills: 2, students: 6, seed: 7 });
    console.log(crashSummary(report).join("\n"));
    expect(report.kills).toBe(2);
    expect(report.acked).toBeGreaterThan(0);
    expect(report.lost).toEqual([]);
    expect(report.persisted).toBe(report.acked);
    expect(report.integrityFailures).toEqual([]);
    expect(report.resumeMismatches).toBe(0);
    expect(report.rejoinMs).toHaveLength(2 * 6);
  }, 120_000);
});
