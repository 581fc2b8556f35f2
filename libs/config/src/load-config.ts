import { z } from 'zod';

/** Thrown when the environment does not satisfy a service's schema; lists every problem at once. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses `env` with `schema` once; returns a frozen typed object or throws ConfigError with every problem. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<S>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const key = issue.path.join('.') || '(root)';
      const received = issue.code === 'invalid_type' && env[key] === undefined ? 'missing' : issue.message;
      return `${key}: ${received}`;
    });
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data);
}
