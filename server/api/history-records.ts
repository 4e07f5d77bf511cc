// Aggregates for the history views, computed in the database: revealed rounds as lib/game
// RoundRecords (answer counts per item and verdict), and each run's progress.
import type { ItemId, ItemKind, ItemRecord, RoundId, RoundRecord } from "../../lib/game";
import type { Db } from "../db";

/** Revealed rounds of many rooms as lib/game RoundRecords, with counts aggregated in the database. */
export async function roundRecords(db: Db, roomIds: string[]): Promise<Map<string, RoundRecord[]>> {
  const revealed = { roomId: { in: roomIds }, revealedAt: { not: null } };
  const [items, counts] = await Promise.all([
    db.item.findMany({
      where: { round: revealed },
      select: {
        id: true,
        kind: true,
        dProbability: true,
        round: { select: { id: true, roomId: true, index: true, generatorStep: true } },
      },
      orderBy: [{ roundId: "asc" }, { position: "asc" }],
    }),
    // Kicked players' answers do not count, as in the live statistics.
    db.answer.groupBy({
      by: ["itemId", "verdict"],
      where: { item: { round: revealed }, player: { kicked: false } },
      _count: { _all: true },
    }),
  ]);
  const said = new Map<string, { real: number; fake: number }>();
  for (const c of counts) {
    const s = said.get(c.itemId) ?? { real: 0, fake: 0 };
    if (c.verdict === "real") s.real += c._count._all;
    else s.fake += c._count._all;
    said.set(c.itemId, s);
  }
  const rounds = new Map<string, { roomId: string; record: RoundRecord; items: ItemRecord[] }>();
  for (const it of items) {
    const r = it.round;
    let entry = rounds.get(r.id);
    if (!entry) {
      const list: ItemRecord[] = [];
      const record = {
        roundId: r.id as RoundId,
        index: r.index,
        generatorStep: r.generatorStep,
        items: list,
      };
      entry = { roomId: r.roomId, record, items: list };
      rounds.set(r.id, entry);
    }
    entry.items.push({
      itemId: it.id as ItemId,
      kind: it.kind as ItemKind,
      dProbability: it.dProbability,
      saidReal: said.get(it.id)?.real ?? 0,
      saidFake: said.get(it.id)?.fake ?? 0,
    });
  }
  const out = new Map<string, RoundRecord[]>();
  for (const { roomId, record } of rounds.values()) {
    out.set(roomId, [...(out.get(roomId) ?? []), record]);
  }
  for (const list of out.values()) list.sort((a, b) => a.index - b.index);
  return out;
}

/** Highest step per run, and snapshot counts. */
export async function runProgress(db: Db, runIds: string[]) {
  const [snaps, metrics] = await Promise.all([
    db.snapshot.groupBy({
      by: ["runId"],
      where: { runId: { in: runIds } },
      _max: { step: true },
      _count: { _all: true },
    }),
    db.trainingMetric.groupBy({
      by: ["runId"],
      where: { runId: { in: runIds } },
      _max: { step: true },
    }),
  ]);
  const progress = new Map<string, { step: number | null; snapshots: number }>();
  const bump = (runId: string, step: number | null, snapshots = 0) => {
    const p = progress.get(runId) ?? { step: null, snapshots: 0 };
    if (step !== null) p.step = Math.max(p.step ?? 0, step);
    p.snapshots += snapshots;
    progress.set(runId, p);
  };
  for (const s of snaps) bump(s.runId, s._max.step, s._count._all);
  for (const m of metrics) bump(m.runId, m._max.step);
  return progress;
}

/** A revealed round's images with the truth and the verdicts given then, for re-judging. */
export async function revealedRoundItems(db: Db, roomId: string, index: number) {
  const round = await db.round.findFirst({
    where: { roomId, index, revealedAt: { not: null } },
    select: {
      index: true,
      generatorStep: true,
      items: {
        orderBy: { position: "asc" },
        select: { id: true, kind: true, image: true, dProbability: true },
      },
    },
  });
  if (!round) return null;
  const counts = await db.answer.groupBy({
    by: ["itemId", "verdict"],
    where: { itemId: { in: round.items.map((i) => i.id) }, player: { kicked: false } },
    _count: { _all: true },
  });
  const said = (itemId: string, verdict: string) =>
    counts.find((c) => c.itemId === itemId && c.verdict === verdict)?._count._all ?? 0;
  return {
    index: round.index,
    generatorStep: round.generatorStep,
    items: round.items.map((it) => ({
      itemId: it.id,
      kind: it.kind,
      image: Buffer.from(it.image).toString("base64"),
      dProbability: it.dProbability,
      saidReal: said(it.id, "real"),
      saidFake: said(it.id, "fake"),
    })),
  };
}
