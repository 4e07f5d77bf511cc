"use client";

import { useEffect, useRef } from "react";
import { IMAGE_PIXELS, IMAGE_SIDE } from "@/lib/gan/dataset";

/** Ink is dark on paper, like a handwritten digit; real and fake are drawn identically. */
function paint(
  ctx: CanvasRenderingContext2D,
  pixels: Uint8Array,
  cols: number,
  rows: number,
  gap: number,
) {
  const cell = IMAGE_SIDE + gap;
  const width = cols * cell - gap;
  const img = ctx.createImageData(width, rows * cell - gap);
  img.data.fill(226); // the gaps: a light grey grid (opaque after the alpha loop below)
  for (let i = 3; i < img.data.length; i += 4) img.data[i] = 255;
  const count = Math.min(cols * rows, Math.floor(pixels.length / IMAGE_PIXELS));
  for (let d = 0; d < count; d++) {
    const ox = (d % cols) * cell;
    const oy = Math.floor(d / cols) * cell;
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      const v = 255 - (pixels[d * IMAGE_PIXELS + p] ?? 0);
      const i = ((oy + Math.floor(p / IMAGE_SIDE)) * width + ox + (p % IMAGE_SIDE)) * 4;
      img.data[i] = v;
      img.data[i + 1] = v;
      img.data[i + 2] = v;
      img.data[i + 3] = 255;
    }
  }
  ctx.putImageData(img, 0, 0);
}

interface GridProps {
  /** cols × rows digits of 784 bytes (8-bit grayscale, 0 = background, 255 = ink). */
  pixels: Uint8Array;
  cols: number;
  rows: number;
  alt: string;
  className?: string;
  /** Canvas pixels between digits. */
  gap?: number;
}

/** Several digits side by side on one canvas, scaled up without smoothing. */
export function DigitGrid({ pixels, cols, rows, alt, className = "", gap = 0 }: GridProps) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext("2d");
    if (ctx) paint(ctx, pixels, cols, rows, gap);
  }, [pixels, cols, rows, gap]);
  return (
    <canvas
      ref={ref}
      width={cols * (IMAGE_SIDE + gap) - gap}
      height={rows * (IMAGE_SIDE + gap) - gap}
      role="img"
      aria-label={alt}
      className={`digit-canvas block h-auto w-full bg-white ${className}`}
    />
  );
}

interface Props {
  /** One digit: 784 bytes. */
  image: Uint8Array;
  alt: string;
  className?: string;
}

/** One 28×28 digit, drawn crisp at any size. */
export function DigitImage({ image, alt, className }: Props) {
  return <DigitGrid pixels={image} cols={1} rows={1} alt={alt} className={className} />;
}
