import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Which environment variables a process reads, found by looking at its sources rather than by running it:
// the entry file and the `config.ts` beside it (where every service declares its schema), plus the shared
// commonFields when the schema spreads them. Every SCREAMING_SNAKE token counts, which over-approximates on
// purpose: the check is there to catch names a manifest sets that nothing reads (typos, stale settings).

const SNAKE = /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g;
/** Read by node or by the image itself, never by our code. */
const RUNTIME_NAMES = ['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS', 'TZ'];

/** Field groups of libs/config that a schema spreads into itself. */
const SHARED_GROUPS = ['commonFields', 'grpcServiceFields', 'egressFields'] as const;

/** Names declared in one of libs/config's shared field groups (`commonFields`, `grpcServiceFields`, `egressFields`). */
export function sharedFieldNames(repoRoot: string, group: (typeof SHARED_GROUPS)[number]): string[] {
  const source = readFileSync(join(repoRoot, 'libs/config/src/fields.ts'), 'utf8');
  const body = new RegExp(`export const ${group} = [^{]*\\{([\\s\\S]*?)\\n\\}\\)?;`).exec(source)?.[1] ?? '';
  return [...body.matchAll(/^\s*([A-Z][A-Z0-9_]*)\s*:/gm)].map((m) => m[1] ?? '');
}

/** The env names `entry` (a repo-relative .ts path) reads; undefined when the entry file does not exist. */
export function envNamesReadBy(repoRoot: string, entry: string): Set<string> | undefined {
  const entryPath = join(repoRoot, entry);
  if (!existsSync(entryPath)) return undefined;
  const files = [entryPath, join(dirname(entryPath), 'config.ts')].filter((file) => existsSync(file));
  const text = files.map((file) => readFileSync(file, 'utf8')).join('\n');
  const names = new Set([...text.matchAll(SNAKE)].map((m) => m[0]));
  for (const group of SHARED_GROUPS) {
    if (text.includes(group)) for (const name of sharedFieldNames(repoRoot, group)) names.add(name);
  }
  // loadConfig (@aigw/config) takes any setting as <NAME>_FILE too: a mounted secret.
  for (const name of [...names]) names.add(`${name}_FILE`);
  for (const name of RUNTIME_NAMES) names.add(name);
  return names;
}

/**
 * The source of the script a command line runs: a `.ts` path as it is, or the `.ts` file that a compiled
 * `<workspace>/dist/<name>.js` entry was built from (`<workspace>/src/<name>.ts`).
 */
export function entryOf(commandLine: readonly string[]): string | undefined {
  for (const part of commandLine) {
    if (part.endsWith('.ts')) return part;
    const compiled = /^(.+)\/dist\/(.+)\.js$/.exec(part);
    if (compiled) return `${compiled[1]}/src/${compiled[2]}.ts`;
  }
  return undefined;
}
