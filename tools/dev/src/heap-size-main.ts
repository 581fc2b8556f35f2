// Prints the --max-old-space-size (MB) for this container: run by tools/dev/docker-entrypoint.sh.
import { containerMemoryLimit, heapPercentFrom, heapSizeMb } from './heap-size.js';

try {
  process.stdout.write(`${heapSizeMb(containerMemoryLimit(), heapPercentFrom(process.env))}\n`);
} catch (error) {
  process.stderr.write(`heap-size: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
}
