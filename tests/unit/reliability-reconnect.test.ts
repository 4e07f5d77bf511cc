// Reloads and drops: students lose their connection (cut by a node:net proxy) or reload the page
// mid-round and come back with their seat token: same seat, same score, every acknowledged answer
// kept, back in the round quickly. `npm run bench:reconnect` runs the same trial with ≥ 400 events.
import { describe, expect, it } from "vitest";
import { reconnectSummary, reconnectTrial } from "../../scripts/bench/fault-reconnect";
import { harnessPerTest } from "./server-harness";

const harness = harnessPerTest();

describe("reloads and network drops", () => {
  it("brings every student back to the same seat, score and answers after drops and reloads", async () => {
    const h = await harness();
    const port = Number(new URL(h.url).port);
    const report = await reconnectTrial({
      serverPort: port,
      students: 8,
      cycles: 6,
      reloadEvery: 3,
    });
    console.log(reconnectSummary(report).join("\n"));
    expect(report.events).toBe(48);
    expect(report.reloads).toBe(16);
    expect(report.backMs).toHaveLength(48);
    expect(report.seatLost).toBe(0);
    expect(report.scoreChanged).toBe(0);
    expect(report.answersMissing).toBe(0);
    expect(report.acked).toBe(8 * 6);
    // Every stored answer is one the students were told was stored, once.
    expect(await h.db.answer.count()).toBe(report.acked);
    // Generous on a shared machine; the bench reports the real distribution.
    expect(Math.max(...report.backMs)).toBeLessThan(5_000);
  });
});
