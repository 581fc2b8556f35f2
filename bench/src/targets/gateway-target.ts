import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { SERVICE_NAMES, startStack, type LogLine, type ServiceName, type Stack } from '@aigw/dev';
import type { Isolation } from '../isolation.js';
import type { Target } from './target.js';

// The whole gateway, exactly as production runs it: the five services as real processes (tools/dev's
// launcher, LOG_LEVEL info, every other setting at its default), real Redis, MariaDB and NATS, the logging
// pipeline live. Only the data is the benchmark's: one OpenAI-format provider pointing at the shared
// emulator, two API-key accounts (round robin between them), a `gpt-*` route and a client key, all created
// through the admin API as an operator would. The accounts go out directly (egress 'direct'), like the other
// targets, which reach the emulator directly as well.

export interface Gateway {
  stack: Stack;
  target: Target;
  /** Warn/error lines the services logged, per service. */
  problemCounts: Record<string, number>;
}

const ECHOED_PROBLEMS = 20;

export interface GatewayOptions {
  /** Write a V8 CPU profile of every service into `<profileDir>/<service>/` when it stops. */
  profileDir?: string | undefined;
}

/**
 * Starts the stack on the isolated names and provisions the benchmark's provider, accounts, route and key.
 * The services run as in production: compiled JavaScript (`npm run build` must have run), production V8 flags.
 */
export async function startGateway(isolation: Isolation, upstreamUrl: string, options: GatewayOptions = {}): Promise<Gateway> {
  const problemCounts: Record<string, number> = {};
  let echoed = 0;
  const onLog = ({ service, line }: LogLine) => {
    // pino levels 40 (warn), 50 (error), 60 (fatal).
    if (!/"level":(4|5|6)0\b/.test(line)) return;
    problemCounts[service] = (problemCounts[service] ?? 0) + 1;
    if (echoed++ < ECHOED_PROBLEMS) process.stderr.write(`[${service}] ${line.slice(0, 400)}\n`);
    if (echoed === ECHOED_PROBLEMS) process.stderr.write('(further service warnings are counted, not shown)\n');
  };
  const stack = await startStack({
    databaseUrl: isolation.databaseUrl,
    redisUrl: isolation.redisUrl,
    natsUrl: isolation.natsUrl,
    redisKeyPrefix: isolation.redisKeyPrefix,
    natsSubjectPrefix: isolation.natsSubjectPrefix,
    logStream: isolation.logStream,
    ports: 0,
    emulators: false,
    seed: false,
    logLevel: 'info',
    captureLogs: false,
    onLog,
    nodeArgs: options.profileDir === undefined ? {} : profileNodeArgs(options.profileDir),
    runtime: 'compiled',
  });
  try {
    const key = await provision(stack, upstreamUrl);
    const processes = SERVICE_NAMES.map((name) => ({ label: name, pid: stack.service(name).pid ?? 0 }));
    return {
      stack,
      problemCounts,
      target: { name: 'gateway', chatUrl: `${stack.ingressUrl}/v1/chat/completions`, headers: { authorization: `Bearer ${key}` }, processes },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

async function provision(stack: Stack, upstreamUrl: string): Promise<string> {
  const admin = async (path: string, body: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${stack.ingressUrl}/api/v1${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`admin POST ${path} answered ${response.status}: ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
  await admin('/providers', { name: 'openai', kind: 'openai', baseUrl: `${upstreamUrl}/v1` });
  for (const n of [1, 2]) {
    await admin('/accounts', { provider: 'openai', label: `bench-openai-${n}`, authType: 'api_key', credentials: { apiKey: `sk-bench-${randomBytes(12).toString('hex')}` }, egress: 'direct' });
  }
  await admin('/routes', { pattern: 'gpt-*', provider: 'openai' });
  const created = await admin('/keys', { name: 'bench' });
  if (typeof created['key'] !== 'string') throw new Error('admin POST /keys returned no key');
  return created['key'];
}

/** Per service: --cpu-prof into `<profileDir>/<service>`. */
function profileNodeArgs(profileDir: string): Partial<Record<ServiceName, readonly string[]>> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir, name)}`]]));
}
