"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { TrainerRequestError } from "@/app/_lib/trainer-client";
import {
  downloadSnapshot,
  ensureRun,
  listSnapshots,
  loadRun,
  uploadSnapshot,
  type SnapshotInfo,
} from "../_lib/runsApi";
import type { StudioTrainer } from "../_lib/useStudioTrainer";
import { Panel } from "./Panel";

/** Snapshot errors (codes from lib/gan/snapshot) in words a student understands. */
function explain(e: unknown): string {
  if (e instanceof TrainerRequestError) {
    switch (e.code) {
      case "TRUNCATED":
        return "This file is incomplete — it was cut off while saving or downloading. Nothing was loaded.";
      case "CHECKSUM":
        return "This file is damaged: its contents do not match its checksum. Nothing was loaded.";
      case "VERSION":
        return "This snapshot was saved by a different version of Spot the Fake and cannot be read here. Nothing was loaded.";
      case "ARCHITECTURE":
        return "These weights belong to differently shaped networks. Nothing was loaded.";
      case "FORMAT":
        return "This is not a Spot the Fake weights file (or it is corrupted). Nothing was loaded.";
    }
  }
  return e instanceof Error ? e.message : String(e);
}

type Status = { kind: "ok" | "error" | "busy"; text: string } | null;

export function SavePanel({ trainer }: { trainer: StudioTrainer }) {
  const { view, client } = trainer;
  const [status, setStatus] = useState<Status>(null);
  const [saved, setSaved] = useState<SnapshotInfo[] | null>(null);
  const [download, setDownload] = useState<{ url: string; name: string } | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const refreshList = useCallback(async () => {
    const run = loadRun();
    if (!run) return setSaved([]);
    try {
      setSaved(await listSnapshots(run));
    } catch (e) {
      setStatus({ kind: "error", text: explain(e) });
    }
  }, []);

  useEffect(() => {
    const r = loadRun();
    if (!r) return;
    listSnapshots(r).then(setSaved, (e: unknown) => setStatus({ kind: "error", text: explain(e) }));
  }, []);
  useEffect(() => () => void (download && URL.revokeObjectURL(download.url)), [download]);

  const run = async (busy: string, fn: () => Promise<string>) => {
    setStatus({ kind: "busy", text: busy });
    try {
      setStatus({ kind: "ok", text: await fn() });
    } catch (e) {
      setStatus({ kind: "error", text: explain(e) });
    }
  };

  const save = () =>
    run("Saving to the server…", async () => {
      const c = client.current;
      if (!c) throw new Error("Start the studio first.");
      const snap = await c.snapshot({ nets: ["G", "D"] });
      const r = await ensureRun("Studio run", view.config);
      const stored = await uploadSnapshot(r, snap.bytes);
      await refreshList();
      return `Saved step ${stored.step} (${(stored.bytes / 1024).toFixed(0)} KB).`;
    });

  const loadSaved = (s: SnapshotInfo) =>
    run(`Loading step ${s.step}…`, async () => {
      const r = loadRun();
      if (!r) throw new Error("No saved run in this browser.");
      const bytes = await downloadSnapshot(r, s.id);
      await trainer.loadSnapshot(bytes);
      return `Loaded the snapshot from step ${s.step}.`;
    });

  const prepareDownload = () =>
    run("Packing the weights…", async () => {
      const c = client.current;
      if (!c) throw new Error("Start the studio first.");
      const snap = await c.snapshot({ nets: ["G", "D"] });
      const url = URL.createObjectURL(
        new Blob([snap.bytes as BlobPart], { type: "application/octet-stream" }),
      );
      const name = `spot-the-fake-step-${snap.step}.stfs`;
      setDownload({ url, name });
      // Start the download right away; the link stays for a second try.
      const a = document.createElement("a");
      a.href = url;
      a.download = name;
      a.click();
      return `Weights of step ${snap.step} ready (${(snap.bytes.length / 1024).toFixed(0)} KB).`;
    });

  const loadFile = (file: File) =>
    run(`Reading ${file.name}…`, async () => {
      if (file.size > 64 * 1024 * 1024)
        throw new Error("This file is far too big to be a weights file.");
      const bytes = new Uint8Array(await file.arrayBuffer());
      const step = await trainer.loadSnapshot(bytes);
      return step === null
        ? `Loaded ${file.name} (its own network size; training restarted from it).`
        : `Loaded ${file.name} (step ${step}).`;
    });

  const btn =
    "rounded-lg border border-slate-300 px-3 py-2 text-sm font-semibold hover:bg-slate-50 disabled:opacity-50";
  return (
    <Panel
      id="save"
      title="Save and load"
      explain="A snapshot holds both networks' weights and the step. Save one to the server to come back to it, or download it as a file."
    >
      <div className="flex flex-wrap gap-2">
        <button
          type="button"
          onClick={save}
          className="rounded-lg bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500"
          data-testid="save-server"
        >
          Save to server
        </button>
        <button type="button" onClick={prepareDownload} className={btn} data-testid="download">
          Download weights
        </button>
        <button type="button" onClick={() => fileInput.current?.click()} className={btn}>
          Load weights file…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".stfs,application/octet-stream"
          className="sr-only"
          aria-label="Weights file to load"
          data-testid="load-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = "";
            if (f) void loadFile(f);
          }}
        />
        {download && (
          <a
            href={download.url}
            download={download.name}
            className="self-center text-sm text-indigo-700 underline"
          >
            {download.name}
          </a>
        )}
      </div>
      {status && (
        <p
          role={status.kind === "error" ? "alert" : "status"}
          data-testid="save-status"
          data-kind={status.kind}
          className={`rounded-lg p-3 text-sm ${status.kind === "error" ? "bg-rose-50 text-rose-900" : status.kind === "ok" ? "bg-emerald-50 text-emerald-900" : "bg-slate-50 text-slate-700"}`}
        >
          {status.text}
        </p>
      )}
      {saved && saved.length > 0 && (
        <div className="flex flex-col gap-2">
          <h3 className="text-sm font-semibold">Saved on the server</h3>
          <ul className="flex max-h-48 flex-col gap-1 overflow-y-auto" data-testid="saved-list">
            {saved.map((s) => (
              <li
                key={s.id}
                className="flex items-center justify-between gap-2 rounded-lg bg-slate-50 px-3 py-1.5 text-sm"
              >
                <span className="tabular-nums">
                  step {s.step} · {new Date(s.createdAt).toLocaleString()}
                </span>
                <button
                  type="button"
                  onClick={() => void loadSaved(s)}
                  className="rounded px-2 py-1 font-semibold text-indigo-700 hover:bg-indigo-50"
                >
                  Load
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Panel>
  );
}
