import type { Metadata } from "next";
import { HistoryList } from "./HistoryList";

export const metadata: Metadata = {
  title: "Past sessions — Spot the Fake",
  description: "Leaderboards, training history, the snapshot timeline, exports and deletion.",
};

export default function HistoryPage() {
  return <HistoryList />;
}
