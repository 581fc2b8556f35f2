// Runs `prisma generate` offline. The Prisma CLI insists on locating its native schema engine before any
// command, and downloads it when missing; generate never runs it, so any existing executable satisfies the
// check. Node's own binary exists on every machine that can run this script.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  // No network here: skip the update check and telemetry.
  CHECKPOINT_DISABLE: process.env.CHECKPOINT_DISABLE || '1',
};
const result = spawnSync(process.execPath, [prismaCli, 'generate', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env,
});
process.exit(result.status ?? 1);
