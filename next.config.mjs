// Next.js configuration. Security headers (CSP, COOP/COEP) are set by server/security.ts for
// every response, pages and static files alike, so they live in one place.

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The custom server (server/index.ts) serves Next and socket.io on one port.
  serverExternalPackages: ["@tensorflow/tfjs-backend-wasm"],
};

export default nextConfig;
