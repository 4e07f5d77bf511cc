// HTTP hardening for every response of the one-port server: CSP, cross-origin isolation (wasm
// threads need it), and an upgrade guard that lets only socket.io (and Next's dev HMR) through.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

export function contentSecurityPolicy(dev: boolean): string {
  const script = [
    "'self'",
    "'unsafe-inline'",
    "'wasm-unsafe-eval'",
    ...(dev ? ["'unsafe-eval'"] : []),
  ];
  return [
    "default-src 'self'",
    `script-src ${script.join(" ")}`,
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function setSecurityHeaders(res: ServerResponse, dev: boolean): void {
  res.setHeader("Content-Security-Policy", contentSecurityPolicy(dev));
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Cross-Origin-Embedder-Policy", "require-corp");
  res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "no-referrer");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
}

export const SOCKET_PATH = "/socket.io/";
// Next 16 serves its dev hot-reload socket at /_next/hmr (older versions: /_next/webpack-hmr).
const HMR_PATHS = ["/_next/hmr", "/_next/webpack-hmr"];

/** Which upgrade requests may proceed; everything else is destroyed (CVE-2026-44578). */
export function upgradeTarget(req: IncomingMessage, dev: boolean): "socket.io" | "next-hmr" | null {
  const url = req.url ?? "";
  if (url.startsWith(SOCKET_PATH)) return "socket.io";
  if (dev && HMR_PATHS.some((p) => url.startsWith(p))) return "next-hmr";
  return null;
}

export function rejectUpgrade(socket: Duplex): void {
  socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
  socket.destroy();
}

/** Browsers always send Origin on WebSocket upgrades; non-browser clients may omit it. */
export function originAllowed(
  origin: string | undefined,
  host: string | undefined,
  extra: string[],
): boolean {
  if (!origin) return true;
  if (extra.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
