#!/bin/sh
# ENTRYPOINT of the image: runs `node <V8 flags> "$@"` with the old generation sized from the container's
# memory limit (tools/dev/src/heap-size.ts: 75 % of it, AIGW_HEAP_PERCENT to change; 160 MB without a limit).
# The other flags, and the environment, are those of tools/dev/src/node-flags.ts (node-flags.test.ts keeps
# them equal).
set -eu
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
heap_mb="$(node /app/tools/dev/dist/heap-size-main.js)"
exec node "--max-old-space-size=${heap_mb}" --wasm-tiering-budget=2000000000 "$@"
