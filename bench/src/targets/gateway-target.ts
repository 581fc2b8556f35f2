import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { SERVICE_NAMES, startStack, type LogLine, type ServiceName, type Stack } from '@aigw/dev';
import type { Isolation } from '../isolation.js';
import type { Target } from './target.js';

/** S7's two routes: one model name per route, both sent in Anthropic Messages format. */
export const AGENT_MODELS = {
  /** Routed to the `anthropic` provider: the body goes upstream as Anthropic Messages. */
  passThrough: 'claude-opus-4-1',
  /** Routed to the `antigravity` provider: translated to a Gemini request in Cloud Code's envelope. */
  translated: 'claude-sonnet-4-5',
} as const;

/** Where the gateway's providers point. */
export interface Upstream {
  url: string;
  /** The OAuth token endpoint of the antigravity accounts. */
  tokenUrl: string;
}

// The whole gateway, exactly as production runs it: the five services as real processes (tools/dev's
// launcher, LOG_LEVEL info, every other setting at its default: request logs travel in batches, through the
// outbox tools/dev gives each ingress), real Redis, MariaDB and NATS, the logging pipeline live. Only the data
// is the benchmark's, created through the admin API as an operator would, each provider pointing at the
// shared emulator with two accounts (round robin between them):
//   - `openai` (API keys), route `gpt-*`: S0–S4 and S8;
//   - `anthropic` (API keys), route AGENT_MODELS.passThrough: S7's Anthropic → Anthropic pass-through;
//   - `antigravity` (OAuth, refreshed at the emulator process's token endpoint, a Cloud Code project each, as
//     tools/dev's demo seed has them), route AGENT_MODELS.translated: S7's Anthropic → Cloud Code translation;
// and a client key. The accounts go out directly (egress 'direct'), like the other targets.

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
export async function startGateway(isolation: Isolation, upstream: Upstream, options: GatewayOptions = {}): Promise<Gateway> {
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
    const key = await provision(stack, upstream);
    const processes = SERVICE_NAMES.map((name) => ({ label: name, pid: stack.service(name).pid ?? 0 }));
    return {
      stack,
      problemCounts,
      target: {
        name: 'gateway',
        chatUrl: `${stack.ingressUrl}/v1/chat/completions`,
        headers: { authorization: `Bearer ${key}` },
        // Claude Code sends its key as x-api-key; the model name picks the route.
        messages: { url: `${stack.ingressUrl}/v1/messages`, headers: { 'x-api-key': key, 'anthropic-version': '2023-06-01' } },
        responses: { url: `${stack.ingressUrl}/v1/responses`, headers: { authorization: `Bearer ${key}` } },
        processes,
      },
    };
  } catch (error) {
    await stack.stop();
    throw error;
  }
}

async function provision(stack: Stack, upstream: Upstream): Promise<string> {
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
  const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
  await admin('/providers', { name: 'openai', kind: 'openai', baseUrl: `${upstream.url}/v1` });
  await admin('/providers', { name: 'anthropic', kind: 'anthropic', baseUrl: upstream.url });
  await admin('/providers', { name: 'antigravity', kind: 'antigravity', baseUrl: upstream.url });
  for (const n of [1, 2]) {
    await admin('/accounts', { provider: 'openai', label: `bench-openai-${n}`, authType: 'api_key', credentials: { apiKey: secret('sk-bench-') }, egress: 'direct' });
    await admin('/accounts', { provider: 'anthropic', label: `bench-anthropic-${n}`, authType: 'api_key', credentials: { apiKey: secret('sk-ant-bench-') }, egress: 'direct' });
    await admin('/accounts', {
      provider: 'antigravity',
      label: `bench-antigravity-${n}`,
      authType: 'oauth',
      credentials: { clientId: `bench-antigravity-${n}`, clientSecret: secret('bench-secret-'), refreshToken: secret('1//bench-refresh-'), tokenUrl: upstream.tokenUrl },
      settings: { project: `bench-project-${n}` },
      egress: 'direct',
    });
  }
  await admin('/routes', { pattern: 'gpt-*', provider: 'openai' });
  await admin('/routes', { pattern: AGENT_MODELS.passThrough, provider: 'anthropic' });
  await admin('/routes', { pattern: AGENT_MODELS.translated, provider: 'antigravity' });
  const created = await admin('/keys', { name: 'bench' });
  if (typeof created['key'] !== 'string') throw new Error('admin POST /keys returned no key');
  return created['key'];
}

/** Per service: --cpu-prof into `<profileDir>/<service>`. */
function profileNodeArgs(profileDir: string): Partial<Record<ServiceName, readonly string[]>> {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir, name)}`]]));
}
