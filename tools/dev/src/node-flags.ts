// The V8 settings every gateway process runs with: in the Docker image (its ENTRYPOINT, kept equal to
// this list by node-flags.test.ts), in every local stack and in the benchmark. Measured by `npm run bench`
// (S6, RSS after 1000 connections): without them a service idles at 160–230 MB and peaks near 400 MB
// under load; with them every service stays under 180 MB at the same throughput.
//
// - max-old-space-size=128: V8 otherwise lets the old generation grow to several times the live data
//   under load (the live set is 30–60 MB). Ingress bounds the request bodies it holds (BODY_BUDGET), so
//   a burst of large bodies answers 503 instead of reaching this limit.
// - max-semi-space-size=8: halves the young generation (16 MB semi-spaces by default); scavenges stay cheap.
// - wasm-tiering-budget: keeps Prisma's query compiler (WebAssembly, several MB of code) on V8's baseline
//   compiler. Optimising its large functions costs about 40 MB of compiler memory per process, for a
//   component that runs once per database query, never per proxied request.

/** Node options placed before the entry of every gateway process. */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--max-old-space-size=128',
  '--max-semi-space-size=8',
  '--wasm-tiering-budget=2000000000',
];
