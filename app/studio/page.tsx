import type { Metadata } from "next";
import { Suspense } from "react";
import { StudioApp } from "./StudioApp";

export const metadata: Metadata = {
  title: "Studio — Spot the Fake",
  description:
    "Train a GAN in your browser, watch every part of it, and play against your own discriminator.",
};

export default function StudioPage() {
  return (
    <Suspense>
      <StudioApp />
    </Suspense>
  );
}
