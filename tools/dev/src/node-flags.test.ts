import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_HEAP_MB } from './heap-size.js';
import { SERVICE_ENV, SERVICE_NODE_FLAGS } from './node-flags.js';
import { REPO_ROOT, SERVICE_NAMES, entryArgs } from './service-process.js';

describe('SERVICE_NODE_FLAGS', () => {
  it('are the flags the Docker image starts every process with, the heap sized from the memory limit', () => {
    const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
    const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
    expect(entrypoint, 'Dockerfile has an exec-form ENTRYPOINT').toBeDefined();
    expect(JSON.parse(entrypoint!)).toEqual(['/app/tools/dev/docker-entrypoint.sh']);
    const script = readFileSync(join(REPO_ROOT, 'tools/dev/docker-entrypoint.sh'), 'utf8');
    const exec = /^exec node (.*) "\$@"$/m.exec(script)?.[1]?.split(/\s+/);
    const heapFlag = SERVICE_NODE_FLAGS.find((flag) => flag.startsWith('--max-old-space-size='));
    expect(exec).toEqual(SERVICE_NODE_FLAGS.map((flag) => (flag === heapFlag ? '"--max-old-space-size=${heap_mb}"' : flag)));
    // Without a memory limit the image uses the same cap as the local stacks.
    expect(heapFlag).toBe(`--max-old-space-size=${DEFAULT_HEAP_MB}`);
    // The same environment, an operator's own value winning.
    const exported = Object.fromEntries([...script.matchAll(/^export (\w+)="\$\{\1:-([^}]*)\}"$/gm)].map((m) => [m[1], m[2]]));
    expect(exported).toEqual(SERVICE_ENV);
  });

  it('come first for every service, compiled or from sources', () => {
    for (const name of SERVICE_NAMES) {
      expect(entryArgs(name, 'compiled')).toEqual([...SERVICE_NODE_FLAGS, `services/${name}/dist/main.js`]);
      expect(entryArgs(name, 'source').slice(0, SERVICE_NODE_FLAGS.length)).toEqual(SERVICE_NODE_FLAGS);
      expect(entryArgs(name, 'source').at(-1)).toBe(`services/${name}/src/main.ts`);
    }
  });
});
