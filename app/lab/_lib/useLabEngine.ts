// One LabEngine per page, started after mount and disposed on unmount; React reads its snapshot.
"use client";

import { useEffect, useState, useSyncExternalStore } from "react";
import type { LabConfig } from "@/lib/lab/config";
import { LabEngine, type LabBackend, type LabSnapshot } from "./engine";

export function useLabEngine(
  config: LabConfig,
  backend: LabBackend,
): { engine: LabEngine; snap: LabSnapshot } {
  const [engine] = useState(() => new LabEngine(backend));
  useEffect(() => {
    void engine.start();
    return () => engine.dispose();
  }, [engine]);
  useEffect(() => engine.setConfig(config), [engine, config]);
  const snap = useSyncExternalStore(engine.subscribe, engine.getSnapshot, engine.getSnapshot);
  return { engine, snap };
}
