import { pathToFileURL } from 'node:url';
import { createConnection } from 'mariadb';
import { connect } from 'nats';
import { Redis } from '@aigw/redis';

// Before tests or the stack start: are Redis, MariaDB and NATS (with JetStream) there? Each failure says
// which one, where, and how to start it, instead of a connection error deep inside a test.

export interface InfrastructureProblem {
  name: 'Redis' | 'MariaDB' | 'NATS';
  /** Where it was looked for, without any password. */
  address: string;
  reason: string;
  howToStart: string;
}

const TIMEOUT_MS = 3_000;
const COMPOSE_HINT = 'or with Docker: `docker compose up -d redis mysql nats`';

/** Checks the three dependencies in parallel; resolves with what is unreachable (empty when all are fine). */
export async function checkInfrastructure(env: NodeJS.ProcessEnv = process.env): Promise<InfrastructureProblem[]> {
  const redisUrl = env['REDIS_URL'] || 'redis://127.0.0.1:6379';
  const mysqlUrl = env['DATABASE_URL'] || env['AIGW_TEST_MYSQL_URL'] || 'mysql://root@127.0.0.1:3306';
  const natsUrl = env['NATS_URL'] || 'nats://127.0.0.1:4222';
  const results = await Promise.all([
    probe('Redis', safeAddress(redisUrl), () => pingRedis(redisUrl), `\`redis-server --daemonize yes\` ${COMPOSE_HINT}`),
    probe('MariaDB', safeAddress(mysqlUrl), () => pingMysql(mysqlUrl), `\`mariadbd --user=mysql &\` (or \`service mariadb start\`) ${COMPOSE_HINT}`),
    probe('NATS', safeAddress(natsUrl), () => pingNats(natsUrl), `\`nats-server -js &\` (JetStream must be on) ${COMPOSE_HINT}`),
  ]);
  return results.filter((problem): problem is InfrastructureProblem => problem !== undefined);
}

/** Human-readable report of the problems, one paragraph each. */
export function describeProblems(problems: InfrastructureProblem[]): string {
  return problems
    .map((p) => `✗ ${p.name} is unreachable at ${p.address}: ${p.reason}\n  start it with ${p.howToStart}`)
    .join('\n');
}

async function probe(
  name: InfrastructureProblem['name'],
  address: string,
  check: () => Promise<void>,
  howToStart: string,
): Promise<InfrastructureProblem | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return undefined;
  } catch (error) {
    return { name, address, reason: error instanceof Error ? error.message : String(error), howToStart };
  } finally {
    clearTimeout(timer);
  }
}

async function pingRedis(url: string): Promise<void> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() only says "Connection is closed"; the error event carries the cause (ECONNREFUSED, …).
  let cause: Error | undefined;
  redis.on('error', (error: Error) => (cause ??= error));
  try {
    await redis.connect().catch((error: unknown) => {
      throw cause ?? error;
    });
    await redis.ping();
  } finally {
    redis.disconnect();
  }
}

async function pingMysql(url: string): Promise<void> {
  const parsed = new URL(url);
  const conn = await createConnection({
    host: parsed.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    connectTimeout: TIMEOUT_MS,
  });
  try {
    await conn.query('SELECT 1');
  } finally {
    await conn.end().catch(() => undefined);
  }
}

async function pingNats(url: string): Promise<void> {
  const nc = await connect({ servers: url.split(','), timeout: TIMEOUT_MS, reconnect: false, name: 'aigw-preflight' });
  try {
    // Fails with "jetstream not enabled" on a server started without -js.
    await nc.jetstreamManager();
  } finally {
    await nc.close();
  }
}

/** `scheme://host:port`, never the user or password of the URL. */
function safeAddress(url: string): string {
  const first = url.split(',')[0] ?? url;
  try {
    const parsed = new URL(first);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparseable URL)';
  }
}

async function main(): Promise<void> {
  const problems = await checkInfrastructure();
  if (problems.length > 0) {
    console.error(`AIGateway needs Redis, MariaDB/MySQL and NATS with JetStream.\n${describeProblems(problems)}`);
    process.exit(1);
  }
  console.log('preflight: Redis, MariaDB and NATS (JetStream) are reachable');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
