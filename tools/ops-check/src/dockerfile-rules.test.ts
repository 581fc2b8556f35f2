import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDockerfile } from './dockerfile-rules.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');

describe('Dockerfile rules', () => {
  it('pass for the repository Dockerfile', () => {
    expect(checkDockerfile(dockerfile, REPO_ROOT)).toEqual([]);
  });

  it('report an end-of-life base, a full install, sources copied wholesale, a fixed-heap entrypoint and missing labels', () => {
    const broken = dockerfile
      .replace(/^ARG NODE_IMAGE=.*$/m, 'ARG NODE_IMAGE=node:20-bookworm-slim')
      .replace('--omit=dev --omit=optional', '--omit=dev')
      .replace('--workspace=libs ', '--workspace=bench ')
      .replace('FROM base AS app\n', 'FROM base AS app\nCOPY . .\n')
      .replace(/^ENTRYPOINT .*$/m, 'ENTRYPOINT ["node", "--max-old-space-size=160"]')
      .replace(/org\.opencontainers\.image\.revision=/, 'x.revision=');
    expect(checkDockerfile(broken, REPO_ROOT)).toEqual([
      'Dockerfile: base node:20-bookworm-slim is not a Node LTS line ≥ 24',
      'Dockerfile: the production npm ci does not --omit=optional',
      'Dockerfile: the production npm ci selects bench',
      'Dockerfile: the app stage copies the whole source tree (COPY . …)',
      'Dockerfile: ENTRYPOINT is not the heap-sizing script under /app',
      'Dockerfile: no org.opencontainers.image.revision label',
    ]);
  });
});
