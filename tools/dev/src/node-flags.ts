// The V8 settings every gateway process runs with: in every local stack, in the benchmark, and in the Docker
// image (tools/dev/docker-entrypoint.sh, kept equal to this list by node-flags.test.ts), where the old
// generation is sized from the container's memory limit instead (heap-size.ts; 160 MB without a limit).
// Measured by `npm run bench` (S6, RSS after 1000 connections): without them a service idles at 160–230 MB and peaks near 400 MB
// under load; with them every service stays under 200 MB at the same throughput.
//
// - max-old-space-size=160: V8 otherwise lets the old generation grow to several times the live data
//   under load (the live set is 30–60 MB). 128 MB kept RSS 10 MB lower but made old-generation GCs so
//   frequent that S2's p99 rose from about 260 to 300–310 ms. Ingress bounds the request bodies it holds
//   (BODY_BUDGET), so a burst of large bodies answers 503 instead of reaching this limit.
// The young generation keeps V8's default (16 MB semi-spaces): halving it saved 20 MB per process but cost
// ingress and provider-call about 12 % more CPU per request in scavenges.
// - wasm-tiering-budget: keeps Prisma's query compiler (WebAssembly, several MB of code) on V8's baseline
//   compiler. Optimising its large functions costs about 40 MB of compiler memory per process, for a
//   component that runs once per database query, never per proxied request.

/** Node options placed before the entry of every gateway process. */
export const SERVICE_NODE_FLAGS: readonly string[] = [
  '--max-old-space-size=160',
  '--wasm-tiering-budget=2000000000',
];

/**
 * Environment every gateway process runs with, beside the flags (the image's entrypoint exports the same).
 * - MALLOC_ARENA_MAX=2: glibc gives each thread that allocates (libuv's pool, V8's GC helpers) a malloc arena
 *   of its own, and the memory they free stays in them. Two arenas keep ingress's RSS 6–7 MB lower after 8 s
 *   of S8's load (about 192 against 198 MB, measured twice each way), with no measured change in throughput:
 *   JavaScript allocates on V8's heap, not through malloc.
 */
export const SERVICE_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
