import { join } from 'node:path';
import { checkInfrastructure, describeProblems } from './preflight.js';
import { newEncryptionKey, persistedSecret } from './dev-secrets.js';
import { REPO_ROOT, type LogLine } from './service-process.js';
import { newClientKey } from './seed.js';
import { startBanner } from './start-banner.js';
import { startStack, type Stack } from './stack.js';

// `npm start`: the whole gateway with its emulators and demo data on fixed local ports.
// Ports follow the services' own env names: HTTP_PORT (8080), SELECTOR_ADDR / AUTH_ADDR /
// PROVIDER_CALL_ADDR (ports 50051-50053), EMU_UPSTREAM_PORT / EMU_OAUTH_PORT / EMU_PROXY_PORTS (9100-9103).

const DEV_DIR = join(REPO_ROOT, '.aigw-dev');

function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  // An address like 127.0.0.1:50051 gives its port.
  const value = Number(raw.includes(':') ? raw.slice(raw.lastIndexOf(':') + 1) : raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new Error(`${name} does not give a port: ${raw}`);
  return value;
}

function echo({ service, stream, line }: LogLine): void {
  (stream === 'stderr' ? process.stderr : process.stdout).write(`${service.padEnd(16)} ${line}\n`);
}

async function main(): Promise<void> {
  const problems = await checkInfrastructure();
  if (problems.length > 0) {
    console.error(`AIGateway needs Redis, MariaDB/MySQL and NATS with JetStream.\n${describeProblems(problems)}`);
    process.exit(1);
  }
  const env = process.env;
  const keyFromEnv = env['AIGW_ENCRYPTION_KEY'];
  const encryptionKey = keyFromEnv || persistedSecret(DEV_DIR, 'encryption.key', newEncryptionKey);
  const stackPromise = startStack({
    databaseUrl: env['DATABASE_URL'] || 'mysql://root@127.0.0.1:3306/aigateway',
    ...(env['REDIS_URL'] ? { redisUrl: env['REDIS_URL'] } : {}),
    redisKeyPrefix: env['REDIS_KEY_PREFIX'] ?? '',
    ...(env['NATS_URL'] ? { natsUrl: env['NATS_URL'] } : {}),
    natsSubjectPrefix: env['NATS_SUBJECT_PREFIX'] || 'gateway',
    logStream: env['NATS_LOG_STREAM'] || 'GATEWAY_LOGS',
    ports: {
      ingress: portFrom('HTTP_PORT', 8080),
      selector: portFrom('SELECTOR_ADDR', 50051),
      auth: portFrom('AUTH_ADDR', 50052),
      providerCall: portFrom('PROVIDER_CALL_ADDR', 50053),
      upstream: portFrom('EMU_UPSTREAM_PORT', 9100),
      oauth: portFrom('EMU_OAUTH_PORT', 9101),
      proxies: (env['EMU_PROXY_PORTS'] || '9102,9103').split(',').map((p, i) => portFrom(`EMU_PROXY_PORTS[${i}]`, Number(p))),
    },
    httpHost: env['HTTP_HOST'] || '127.0.0.1',
    emulators: { proxyPassword: persistedSecret(DEV_DIR, 'proxy-password', () => newClientKey().slice(5, 21)) },
    demoKey: env['AIGW_DEMO_API_KEY'] || persistedSecret(DEV_DIR, 'demo-api-key', newClientKey),
    ...(env['AIGW_ADMIN_TOKEN'] ? { adminToken: env['AIGW_ADMIN_TOKEN'] } : {}),
    encryptionKey,
    logLevel: env['LOG_LEVEL'] || 'info',
    captureLogs: false,
    onLog: echo,
  });

  let stack: Stack | undefined;
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    console.log(`\n${signal}: stopping the stack…`);
    // A start still in progress is waited for, then stopped, so no child is left behind.
    void (stack ? stack.stop() : stackPromise.then((s) => s.stop(), () => undefined)).then(() => process.exit(0));
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, shutdown);

  stack = await stackPromise;
  if (stopping) return;
  console.log(
    startBanner({
      ingressUrl: stack.ingressUrl,
      demoKey: stack.demoKey,
      adminToken: stack.adminToken,
      encryptionKeySource: keyFromEnv ? 'from AIGW_ENCRYPTION_KEY' : `generated once, kept in ${join(DEV_DIR, 'encryption.key')} (git-ignored)`,
      seeded: stack.seeded,
      metricsUrls: stack.metricsUrls,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
