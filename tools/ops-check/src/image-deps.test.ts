import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { IMAGE_DEPS_BUDGET_BYTES, imageDeps, productionInstall } from './image-deps.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('the image production dependency tree', () => {
  const deps = imageDeps(REPO_ROOT);

  it(`stays under ${IMAGE_DEPS_BUDGET_BYTES / 1e6} MB`, () => {
    expect(deps.bytes).toBeLessThan(IMAGE_DEPS_BUDGET_BYTES);
    expect(deps.bytes).toBeGreaterThan(10e6);
  });

  it('holds what the processes run, and no dev tool, benchmark or console dependency', () => {
    const names = deps.packages.map((path) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
    for (const runtime of ['@prisma/client', '@prisma/adapter-mariadb', 'mariadb', 'ioredis', 'nats', '@grpc/grpc-js', 'pino', 'zod']) {
      expect(names).toContain(runtime);
    }
    for (const devOnly of ['prisma', '@prisma/studio-core', 'typescript', 'tsx', 'vitest', 'turbo', 'react', 'vite', '@portkey-ai/gateway', 'autocannon']) {
      expect(names).not.toContain(devOnly);
    }
    expect(deps.workspaces).not.toContain('bench');
    expect(deps.workspaces).not.toContain('console');
    expect(deps.workspaces).toEqual(expect.arrayContaining(['libs/db', 'services/ingress', 'tools/dev', 'tools/emulators']));
  });
});

describe('productionInstall', () => {
  it('reads the workspaces and omits of a continued RUN line', () => {
    const dockerfile = 'FROM x AS deps\nRUN npm ci --omit=dev --omit=optional \\\n      --workspace=libs --workspace=tools/dev \\\n && rm -rf /root/.npm\n';
    expect(productionInstall(dockerfile)).toEqual({ workspaceArgs: ['libs', 'tools/dev'], omit: ['dev', 'optional'] });
    expect(() => productionInstall('RUN npm ci\n')).toThrow(/no production install/);
  });
});
