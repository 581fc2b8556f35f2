import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptionKey, loadConfig, z } from '@aigw/config';
import { applyMigrations, createPrisma } from '@aigw/db';
import { CredentialCipher } from '@aigw/secrets';
import { ensureConsoleBuilt } from './console-build.js';
import { emulatorLoginClients, startEmulators, type EmulatorSet, type EmulatorSetOptions } from './emulator-set.js';
import { portOrFree } from './free-port.js';
import { seedDemo, type SeedResult } from './seed.js';
import { ServiceProcess, SERVICE_NAMES, type LogLine, type ServiceHandle, type ServiceName, type ServiceRuntime } from './service-process.js';

// The whole gateway on one machine: migrations, emulators, demo data, and the five services as real
// processes on real ports. Used by `npm start`, the end-to-end tests and the benchmark.

export interface StackPorts {
  ingress: number;
  selector: number;
  auth: number;
  providerCall: number;
  upstream: number;
  oauth: number;
  proxies: number[];
}

export interface StackOptions {
  /** Default: DATABASE_URL, else mysql://root@127.0.0.1:3306/aigateway. The database is created and migrated. */
  databaseUrl?: string;
  redisUrl?: string;
  redisKeyPrefix?: string;
  natsUrl?: string;
  natsSubjectPrefix?: string;
  logStream?: string;
  /** 0 (default) gives every listener a free port; missing fields of an object are free ports too. */
  ports?: 0 | Partial<StackPorts>;
  /** Where ingress listens (default 127.0.0.1); the backends always listen on loopback. */
  httpHost?: string;
  /** Processes per service (default 1 each); gRPC replicas get one port each and ingress balances over them. */
  replicas?: Partial<Record<ServiceName, number>>;
  /** Extra node options per service, placed before its entry, e.g. `--cpu-prof`. */
  nodeArgs?: Partial<Record<ServiceName, readonly string[]>>;
  /** Run the services from sources through tsx (default) or from `dist` (needs `npm run build` first). */
  runtime?: ServiceRuntime;
  /** Extra environment per service (`all` applies to every one, the service's own entries win). */
  env?: Partial<Record<ServiceName | 'all', Record<string, string>>>;
  /** Start the emulators in this process (default true); an object tunes them. */
  emulators?: boolean | Partial<Pick<EmulatorSetOptions, 'oauthExpiresInSeconds' | 'upstreamDefaults' | 'upstreamPromptCache' | 'proxyPassword'>>;
  /** Seed the demo data into an empty database (default true; needs the emulators). */
  seed?: boolean;
  demoKey?: string;
  /** Default: random. */
  adminToken?: string;
  /** 64 hex chars or base64 of 32 bytes. Default: random. */
  encryptionKey?: string;
  logLevel?: string;
  /** Keep every output line for `logs()` (default true; long benchmark runs may turn it off). */
  captureLogs?: boolean;
  /** Called with every output line of every service, e.g. to echo it. */
  onLog?: (line: LogLine) => void;
  readyTimeoutMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  stopGraceMs?: number;
}

export interface Stack {
  /** The first ingress replica's URL. */
  ingressUrl: string;
  /** Every ingress replica's URL, in replica order (`replicas.ingress`). */
  ingressUrls: string[];
  adminToken: string;
  /** Plaintext demo client key ('' when the stack was not seeded and no key was given). */
  demoKey: string;
  /** True when this start wrote the demo data (the database had no providers). */
  seeded: boolean;
  /** The AES key the services encrypt credentials with, as 64 hex chars. */
  encryptionKey: string;
  databaseUrl: string;
  redisKeyPrefix: string;
  natsSubjectPrefix: string;
  logStream: string;
  /** Every replica's Prometheus endpoint (`http://127.0.0.1:<METRICS_PORT>/metrics`), per service in replica order. */
  metricsUrls: Record<ServiceName, string[]>;
  /** gRPC address of every replica, e.g. `{ selector: ['127.0.0.1:50051'] }`. */
  grpcAddresses: Record<'selector' | 'auth' | 'provider-call', string[]>;
  /** The in-process emulators; throws when the stack was started without them. */
  readonly emulators: EmulatorSet;
  service(name: ServiceName, index?: number): ServiceHandle;
  /** Every captured output line, `<service>#<replica> <line>`. */
  logs(): string[];
  stop(): Promise<void>;
}

const DEFAULT_DATABASE_URL = 'mysql://root@127.0.0.1:3306/aigateway';
const GRPC_SERVICES = ['selector', 'auth', 'provider-call'] as const;
const BACKENDS: readonly ServiceName[] = ['selector', 'auth', 'provider-call', 'logging'];
/** Stopped in this order, so that each group's callers are gone before it goes and logs drain last. */
const STOP_ORDER: readonly (readonly ServiceName[])[] = [['ingress'], ['selector', 'auth', 'provider-call'], ['logging']];
/** Only what node and the tools need from the parent; everything else is explicit per service. */
const INHERITED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_EXTRA_CA_CERTS', 'AIGW_TEST_MYSQL_URL'];

const toHex = (key: string) =>
  loadConfig(z.object({ key: encryptionKey() }), { key }).key.toString('hex');

/** Starts the stack and resolves once every service logged `ready`; on failure everything started is stopped. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const databaseUrl = options.databaseUrl ?? process.env['DATABASE_URL'] ?? DEFAULT_DATABASE_URL;
  const keyHex = toHex(options.encryptionKey ?? randomBytes(32).toString('hex'));
  const adminToken = options.adminToken ?? `adm-${randomBytes(24).toString('base64url')}`;
  const redisKeyPrefix = options.redisKeyPrefix ?? '';
  const natsSubjectPrefix = options.natsSubjectPrefix ?? 'gateway';
  const logStream = options.logStream ?? 'GATEWAY_LOGS';
  const ports = await resolvePorts(options.ports ?? 0, options.replicas ?? {});
  const captured: LogLine[] = [];
  const processes: ServiceProcess[] = [];
  // Each ingress replica's request-log outbox: its own directory (one process per outbox), kept across its
  // restart() so that a killed replica finds what it left, removed with the stack.
  const outboxRoot = mkdtempSync(join(tmpdir(), 'aigw-stack-outbox-'));
  let emulators: EmulatorSet | undefined;

  const stop = async () => {
    for (const group of STOP_ORDER) {
      await Promise.all(processes.filter((p) => group.includes(p.name)).map((p) => p.stop()));
    }
    // Only now: a launcher that exits while stopping (a second Ctrl-C) still kills what is left.
    process.off('exit', killAll);
    await emulators?.close();
    rmSync(outboxRoot, { recursive: true, force: true });
  };
  const killAll = () => processes.forEach((p) => p.killNow());
  // Children must not outlive a crashed test runner or launcher.
  process.on('exit', killAll);

  try {
    // The web console ingress serves under /ui; built only when missing or older than its sources.
    const consoleBuild = ensureConsoleBuilt();
    await applyMigrations(databaseUrl);
    if (options.emulators !== false) {
      const tuning = typeof options.emulators === 'object' ? options.emulators : {};
      emulators = await startEmulators({
        upstreamPort: ports.upstream,
        oauthPort: ports.oauth,
        proxyPorts: ports.proxies,
        proxyPassword: tuning.proxyPassword ?? randomBytes(12).toString('base64url'),
        ...(tuning.oauthExpiresInSeconds === undefined ? {} : { oauthExpiresInSeconds: tuning.oauthExpiresInSeconds }),
        ...(tuning.upstreamDefaults === undefined ? {} : { upstreamDefaults: tuning.upstreamDefaults }),
        ...(tuning.upstreamPromptCache === true ? { upstreamPromptCache: true } : {}),
      });
    }
    await consoleBuild;
    let seedResult: SeedResult = { demoKey: options.demoKey ?? '', seeded: false };
    if (options.seed !== false) {
      if (emulators === undefined) throw new Error('seeding the demo data needs the emulators (emulators: true)');
      seedResult = await seed(databaseUrl, keyHex, emulators, options.demoKey);
    }

    const grpcAddresses = {
      selector: ports.grpc.selector.map((port) => `127.0.0.1:${port}`),
      auth: ports.grpc.auth.map((port) => `127.0.0.1:${port}`),
      'provider-call': ports.grpc['provider-call'].map((port) => `127.0.0.1:${port}`),
    };
    const common: Record<string, string> = {
      ...inheritedEnv(),
      LOG_LEVEL: options.logLevel ?? 'info',
      REDIS_URL: options.redisUrl ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: redisKeyPrefix,
      NATS_URL: options.natsUrl ?? process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222',
      NATS_SUBJECT_PREFIX: natsSubjectPrefix,
      NATS_LOG_STREAM: logStream,
      DATABASE_URL: databaseUrl,
      // Every service serves /metrics on a loopback port of its own (ports.metrics), never on the client port.
      METRICS_HOST: '127.0.0.1',
      GRPC_HOST: '127.0.0.1',
      // The emulators (upstreams, token endpoint, proxies) listen on loopback: the egress policy must allow it.
      EGRESS_ALLOW: '127.0.0.0/8,::1',
    };
    const ownEnv = (name: ServiceName, index: number): Record<string, string> => {
      switch (name) {
        case 'selector':
          return { GRPC_PORT: String(ports.grpc[name][index]) };
        case 'provider-call':
          // Disabled proxies are probed through to the upstream emulator (the default target is on the internet).
          return { GRPC_PORT: String(ports.grpc[name][index]), ...(emulators ? { PROXY_PROBE_URL: `${emulators.upstream.url.replace(/\/+$/, '')}/v1/models` } : {}) };
        case 'auth':
          return { GRPC_PORT: String(ports.grpc.auth[index]), AIGW_ENCRYPTION_KEY: keyHex };
        case 'logging':
          return {};
        case 'ingress':
          return {
            HTTP_PORT: String(ports.ingress[index]),
            HTTP_HOST: options.httpHost ?? '127.0.0.1',
            SELECTOR_ADDR: grpcTarget(grpcAddresses.selector),
            AUTH_ADDR: grpcTarget(grpcAddresses.auth),
            PROVIDER_CALL_ADDR: grpcTarget(grpcAddresses['provider-call']),
            AIGW_ADMIN_TOKEN: adminToken,
            AIGW_ENCRYPTION_KEY: keyHex,
            // No load balancer to wait for: a stopped stack closes its listener at once (options.env may set one).
            SHUTDOWN_DRAIN_MS: '0',
            LOG_OUTBOX_DIR: join(outboxRoot, `ingress-${index}`),
            // OAuth logins and imports against the emulators; Cloud Code onboarding checks without Gemini CLI's 5 s wait.
            ...(emulators ? { OAUTH_LOGIN_CLIENTS: emulatorLoginClients(emulators.oauth), OAUTH_ONBOARD_POLL_MS: '100' } : {}),
          };
      }
    };
    const onLine = (line: LogLine) => {
      if (options.captureLogs !== false) captured.push(line);
      options.onLog?.(line);
    };
    for (const name of SERVICE_NAMES) {
      for (let index = 0; index < replicaCount(options.replicas ?? {}, name); index++) {
        const metricsPort = String(ports.metrics[name][index] ?? 0);
        const env = { ...common, METRICS_PORT: metricsPort, ...ownEnv(name, index), ...options.env?.all, ...options.env?.[name] };
        processes.push(
          new ServiceProcess({
            name,
            index,
            env,
            nodeArgs: options.nodeArgs?.[name],
            runtime: options.runtime,
            readyTimeoutMs: options.readyTimeoutMs ?? 90_000,
            stopGraceMs: options.stopGraceMs ?? 15_000,
            onLine,
          }),
        );
      }
    }
    // Backends first, together; ingress last, so its first readiness check finds them serving.
    await Promise.all(processes.filter((p) => BACKENDS.includes(p.name)).map((p) => p.start()));
    await Promise.all(processes.filter((p) => p.name === 'ingress').map((p) => p.start()));

    const started = emulators;
    return {
      ingressUrl: `http://127.0.0.1:${ports.ingress[0] ?? 0}`,
      ingressUrls: ports.ingress.map((port) => `http://127.0.0.1:${port}`),
      adminToken,
      demoKey: seedResult.demoKey,
      seeded: seedResult.seeded,
      encryptionKey: keyHex,
      databaseUrl,
      redisKeyPrefix,
      natsSubjectPrefix,
      logStream,
      grpcAddresses,
      metricsUrls: Object.fromEntries(
        SERVICE_NAMES.map((name) => [name, ports.metrics[name].map((port) => `http://127.0.0.1:${port}/metrics`)]),
      ) as Record<ServiceName, string[]>,
      get emulators(): EmulatorSet {
        if (started === undefined) throw new Error('the stack was started without emulators');
        return started;
      },
      service(name, index = 0) {
        const found = processes.find((p) => p.name === name && p.index === index);
        if (found === undefined) throw new Error(`no ${name} replica #${index} in this stack`);
        return found;
      },
      logs: () => captured.map((entry) => `${entry.service} ${entry.line}`),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A grpc-js target for one or several replicas (`ipv4:` lists let round robin see every one). */
function grpcTarget(addresses: string[]): string {
  return addresses.length === 1 ? (addresses[0] ?? '') : `ipv4:${addresses.join(',')}`;
}

function replicaCount(replicas: Partial<Record<ServiceName, number>>, name: ServiceName): number {
  const count = replicas[name] ?? 1;
  if (!Number.isInteger(count) || count < 0) throw new Error(`replicas.${name} must be a non-negative integer`);
  return count;
}

interface ResolvedPorts {
  ingress: number[];
  grpc: Record<(typeof GRPC_SERVICES)[number], number[]>;
  upstream: number;
  oauth: number;
  proxies: number[];
  /** METRICS_PORT of every replica, per service (always free ports). */
  metrics: Record<ServiceName, number[]>;
}

// A fixed port serves the first replica; further replicas, and every port given as 0, get free ports.
async function resolvePorts(ports: 0 | Partial<StackPorts>, replicas: Partial<Record<ServiceName, number>>): Promise<ResolvedPorts> {
  const given = ports === 0 ? {} : ports;
  const many = async (first: number | undefined, count: number) =>
    Promise.all(Array.from({ length: count }, (_, i) => portOrFree(i === 0 ? (first ?? 0) : 0)));
  return {
    ingress: await many(given.ingress, replicaCount(replicas, 'ingress')),
    grpc: {
      selector: await many(given.selector, replicaCount(replicas, 'selector')),
      auth: await many(given.auth, replicaCount(replicas, 'auth')),
      'provider-call': await many(given.providerCall, replicaCount(replicas, 'provider-call')),
    },
    // The emulators bind 0 themselves.
    upstream: given.upstream ?? 0,
    oauth: given.oauth ?? 0,
    proxies: given.proxies ?? [0, 0],
    metrics: Object.fromEntries(
      await Promise.all(SERVICE_NAMES.map(async (name) => [name, await many(undefined, replicaCount(replicas, name))] as const)),
    ) as Record<ServiceName, number[]>,
  };
}

async function seed(databaseUrl: string, keyHex: string, emulators: EmulatorSet, demoKey: string | undefined): Promise<SeedResult> {
  const prisma = createPrisma(databaseUrl, { connectionLimit: 2 });
  try {
    return await seedDemo(prisma, new CredentialCipher(Buffer.from(keyHex, 'hex')), {
      upstreamUrl: emulators.upstream.url,
      tokenUrl: emulators.oauth.url,
      proxyUrls: emulators.proxies.map((proxy) => proxy.url),
      ...(demoKey === undefined ? {} : { demoKey }),
    });
  } finally {
    await prisma.$disconnect();
  }
}

function inheritedEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_ENV) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
