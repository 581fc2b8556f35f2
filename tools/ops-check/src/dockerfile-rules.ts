import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { productionInstall } from './image-deps.js';

// Rules for the Dockerfile, checked statically (no Docker engine needed): a supported Node LTS base, a
// production install of the runtime workspaces only, no sources copied wholesale into the runtime stage, the
// heap-sizing entrypoint, and OCI labels.

/** Oldest Node major the image may be based on: an even (LTS) line with security support. */
export const MIN_NODE_MAJOR = 24;
const OCI_LABELS = ['title', 'description', 'source', 'version', 'revision', 'created'];
const NOT_IN_IMAGE = ['bench', 'console'];

/** Problems with the Dockerfile text (`repoRoot` for the files it names). */
export function checkDockerfile(dockerfile: string, repoRoot: string): string[] {
  const problems: string[] = [];
  const image = /^ARG NODE_IMAGE=(\S+)/m.exec(dockerfile)?.[1];
  const major = Number(/^node:(\d+)/.exec(image ?? '')?.[1]);
  if (image === undefined) problems.push('Dockerfile: no ARG NODE_IMAGE=node:<major>-… base');
  else if (!(major >= MIN_NODE_MAJOR && major % 2 === 0)) {
    problems.push(`Dockerfile: base ${image} is not a Node LTS line ≥ ${MIN_NODE_MAJOR}`);
  }

  try {
    const install = productionInstall(dockerfile);
    for (const omit of ['dev', 'optional']) {
      if (!install.omit.includes(omit)) problems.push(`Dockerfile: the production npm ci does not --omit=${omit}`);
    }
    if (install.workspaceArgs.length === 0) problems.push('Dockerfile: the production npm ci selects no --workspace (it would install bench and console)');
    for (const arg of install.workspaceArgs) {
      if (NOT_IN_IMAGE.some((dir) => arg === dir || arg.startsWith(`${dir}/`) || arg === '.')) problems.push(`Dockerfile: the production npm ci selects ${arg}`);
    }
  } catch (error) {
    problems.push(`Dockerfile: ${(error as Error).message}`);
  }

  const appStage = /^FROM \S+ AS app\n([\s\S]*?)(?=^FROM |$(?![\s\S]))/m.exec(dockerfile)?.[1] ?? '';
  if (appStage === '') problems.push('Dockerfile: no `app` stage');
  if (/^COPY \.\s/m.test(appStage)) problems.push('Dockerfile: the app stage copies the whole source tree (COPY . …)');

  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(dockerfile)?.[1];
  const script = entrypoint === undefined ? undefined : (JSON.parse(entrypoint) as string[])[0];
  if (script === undefined || !script.startsWith('/app/')) problems.push('Dockerfile: ENTRYPOINT is not the heap-sizing script under /app');
  else {
    try {
      accessSync(join(repoRoot, script.slice('/app/'.length)), constants.X_OK);
    } catch {
      problems.push(`Dockerfile: ENTRYPOINT ${script} is not an executable file of the repository`);
    }
  }

  const labels = new Set([...dockerfile.matchAll(/org\.opencontainers\.image\.([a-z.]+)=/g)].map((m) => m[1]));
  for (const label of OCI_LABELS) if (!labels.has(label)) problems.push(`Dockerfile: no org.opencontainers.image.${label} label`);
  return problems;
}

/** checkDockerfile on the repository's Dockerfile. */
export function checkDockerfileAt(repoRoot: string): string[] {
  return checkDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'), repoRoot);
}
