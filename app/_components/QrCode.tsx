"use client";

import QRCode from "qrcode";
import { useEffect, useState } from "react";

/** A QR code drawn locally (no external service: the CSP forbids it, and so does privacy). */
export function QrCode({
  text,
  label,
  className = "",
}: {
  text: string;
  label: string;
  className?: string;
}) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    QRCode.toString(text, { type: "svg", margin: 1, errorCorrectionLevel: "M" }).then(
      (svg) => {
        if (!cancelled) setSrc(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
      },
      () => {
        if (!cancelled) setSrc(null);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [text]);
  if (!src)
    return <div className={`aspect-square animate-pulse rounded-xl bg-slate-200 ${className}`} />;
  // eslint-disable-next-line @next/next/no-img-element -- a data: URL, nothing to optimise
  return <img src={src} alt={label} className={`aspect-square rounded-xl bg-white ${className}`} />;
}
