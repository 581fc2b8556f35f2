import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's schema; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Suffix of a setting given as a file: `DATABASE_URL_FILE=/run/secrets/db-url` (Docker and Kubernetes secrets). */
export const FILE_SUFFIX = '_FILE';

/**
 * Parses `env` with `schema` once; returns a frozen typed object or throws ConfigError with every problem.
 * Every setting of the schema may instead be given as `<NAME>_FILE`, the path of a file whose trimmed content is
 * the value (how mounted secrets are passed); giving both is an error.
 */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<S>> {
  const { values, problems: fileProblems } = resolveFileSettings(Object.keys(schema.shape), env);
  const result = schema.safeParse(values);
  const problems = [...fileProblems];
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.join('.') || '(root)';
      if (fileProblems.some((problem) => problem.startsWith(`${key}:`))) continue;
      const received = issue.code === 'invalid_type' && values[key] === undefined ? 'missing' : issue.message;
      problems.push(`${key}: ${received}`);
    }
  }
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return Object.freeze(result.data);
}

/**
 * `env` with each of `names` whose `<NAME>_FILE` is set replaced by that file's trimmed content. Problems name
 * the setting and the path, never the content.
 */
export function resolveFileSettings(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
): { values: NodeJS.ProcessEnv; problems: string[] } {
  const values: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const name of names) {
    const path = env[`${name}${FILE_SUFFIX}`];
    if (path === undefined || path === '') continue;
    if (env[name] !== undefined && env[name] !== '') {
      problems.push(`${name}: set both ${name} and ${name}${FILE_SUFFIX}; give one`);
      continue;
    }
    try {
      values[name] = readFileSync(path, 'utf8').trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      problems.push(`${name}: cannot read ${name}${FILE_SUFFIX} (${path}): ${code}`);
    }
  }
  return { values, problems };
}
