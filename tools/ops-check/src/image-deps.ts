import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The production dependency tree of the image, computed offline: the workspaces and omits of the Dockerfile's
// production `npm ci` line, followed through package-lock.json the way npm resolves them, sized from the
// installed node_modules (the same lock, so the same files). Checked against a real
// `npm ci --omit=dev --omit=optional --workspace=…` into an empty folder: the same 185 packages.
//   node --conditions=aigw-source --import tsx tools/ops-check/src/image-deps.ts

/** The budget the issue sets for the image's production dependency tree. */
export const IMAGE_DEPS_BUDGET_BYTES = 200 * 1000 * 1000;

interface LockEntry {
  name?: string;
  link?: boolean;
  resolved?: string;
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  workspaces?: string[];
}

export interface ProductionInstall {
  /** `--workspace=` values of the Dockerfile's production install. */
  workspaceArgs: string[];
  omit: string[];
}

export interface ImageDeps {
  workspaces: string[];
  /** Lock paths (`node_modules/…`) of the packages installed, sorted. */
  packages: string[];
  bytes: number;
  files: number;
}

/** The production `npm ci --omit=dev …` of the Dockerfile: its workspaces and omits. */
export function productionInstall(dockerfile: string): ProductionInstall {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const line = joined.split('\n').find((l) => /^RUN\s+npm ci\b.*--omit=dev/.test(l.trim()));
  if (line === undefined) throw new Error('Dockerfile has no production install (RUN npm ci --omit=dev …)');
  const args = line.split('&&')[0]?.trim().split(/\s+/) ?? [];
  const values = (flag: string) => args.filter((a) => a.startsWith(`--${flag}=`)).map((a) => a.slice(flag.length + 3));
  return { workspaceArgs: values('workspace'), omit: values('omit') };
}

/** The production dependency tree of the Dockerfile's install, sized from `repoRoot`'s installed node_modules. */
export function imageDeps(repoRoot: string): ImageDeps {
  const install = productionInstall(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const entries = lock.packages;
  const allWorkspaces = Object.keys(entries).filter((path) => path !== '' && !path.includes('node_modules/'));
  const workspaces = allWorkspaces.filter((ws) =>
    install.workspaceArgs.some((arg) => ws === arg.replace(/\/$/, '') || ws.startsWith(`${arg.replace(/\/$/, '')}/`)),
  );
  if (workspaces.length === 0) throw new Error('the production install selects no workspace');
  const omitOptional = install.omit.includes('optional');
  const omitPeer = install.omit.includes('peer');

  const packages = new Set<string>();
  const visitedWorkspaces = new Set<string>();
  const queue: string[] = [...workspaces];
  while (queue.length > 0) {
    const from = queue.pop() as string;
    const entry = entries[from];
    if (entry === undefined) continue;
    for (const name of edgesOf(entry, omitOptional, omitPeer)) {
      const target = resolve(entries, from, name);
      if (target === undefined) {
        if (isOptionalEdge(entry, name)) continue;
        throw new Error(`${from || '(root)'} needs ${name}, which package-lock.json does not hold`);
      }
      const resolved = entries[target];
      if (resolved?.link === true && resolved.resolved !== undefined) {
        if (!visitedWorkspaces.has(resolved.resolved)) {
          visitedWorkspaces.add(resolved.resolved);
          queue.push(resolved.resolved);
        }
        continue;
      }
      if (!packages.has(target)) {
        packages.add(target);
        queue.push(target);
      }
    }
  }
  let bytes = 0;
  let files = 0;
  for (const path of packages) {
    const size = directorySize(join(repoRoot, path));
    bytes += size.bytes;
    files += size.files;
  }
  return { workspaces, packages: [...packages].sort(), bytes, files };
}

function edgesOf(entry: LockEntry, omitOptional: boolean, omitPeer: boolean): string[] {
  const names = new Set(Object.keys(entry.dependencies ?? {}));
  if (!omitOptional) for (const name of Object.keys(entry.optionalDependencies ?? {})) names.add(name);
  if (!omitPeer) {
    for (const name of Object.keys(entry.peerDependencies ?? {})) {
      // An optional peer is installed only when something else needs it (@prisma/client's `prisma`, `typescript`).
      if (entry.peerDependenciesMeta?.[name]?.optional !== true) names.add(name);
    }
  }
  return [...names];
}

function isOptionalEdge(entry: LockEntry, name: string): boolean {
  return name in (entry.optionalDependencies ?? {}) || entry.peerDependenciesMeta?.[name]?.optional === true;
}

/** Node's lookup: `<from>/node_modules/<name>`, then each enclosing `node_modules`, up to the root. */
function resolve(entries: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    if (entries[candidate] !== undefined) return candidate;
    if (dir === '') return undefined;
    const parent = posix.dirname(dir);
    dir = parent === '.' ? '' : parent;
    if (dir.endsWith('/node_modules')) dir = posix.dirname(dir);
    if (dir === '.') dir = '';
  }
}

/** Bytes (apparent size, as a layer stores them) and files of a package, its own nested node_modules excluded. */
function directorySize(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw new Error(`${dir} is not installed: run npm ci first`);
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = lstatSync(path);
    if (stat.isDirectory()) {
      if (name === 'node_modules') continue;
      const inner = directorySize(path);
      bytes += inner.bytes;
      files += inner.files;
    } else {
      bytes += stat.size;
      files += 1;
    }
  }
  return { bytes, files };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const deps = imageDeps(fileURLToPath(new URL('../../../', import.meta.url)));
  const mb = (deps.bytes / 1e6).toFixed(1);
  console.log(`image production dependencies: ${deps.packages.length} packages, ${deps.files} files, ${mb} MB ` +
    `(budget ${IMAGE_DEPS_BUDGET_BYTES / 1e6} MB); workspaces: ${deps.workspaces.join(', ')}`);
  if (deps.bytes > IMAGE_DEPS_BUDGET_BYTES) process.exitCode = 1;
}
