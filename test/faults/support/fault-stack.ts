import { startE2eStack, type E2eContext, type E2eStackOptions } from '../../e2e/support/e2e-stack.js';
import { TcpSwitch } from './tcp-switch.js';

/** The machine's shared servers, each of which a fault test can cut or stall for the whole stack. */
export interface Dependencies {
  redis: TcpSwitch;
  nats: TcpSwitch;
  mysql: TcpSwitch;
}

export interface FaultContext extends E2eContext {
  /** Switches between every service and Redis, NATS and MySQL; all on at start. */
  deps: Dependencies;
}

function hostPort(url: string, defaultPort: number): [string, number] {
  const parsed = new URL(url);
  return [parsed.hostname || '127.0.0.1', Number(parsed.port || defaultPort)];
}

/**
 * An isolated e2e stack (own database, key prefix, stream) whose services reach Redis, NATS and MySQL only
 * through switches the test owns, so it can fail each dependency without touching the shared servers. The
 * test's own checks (`ctx.prisma`, cleanup) go directly.
 */
export async function startFaultStack(name: string, options: E2eStackOptions = {}): Promise<FaultContext> {
  const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const mysqlUrl = process.env['AIGW_TEST_MYSQL_URL'] || 'mysql://root@127.0.0.1:3306';
  const deps: Dependencies = {
    redis: new TcpSwitch(...hostPort(redisUrl, 6379)),
    nats: new TcpSwitch(...hostPort(natsUrl, 4222)),
    mysql: new TcpSwitch(...hostPort(mysqlUrl, 3306)),
  };
  const closeSwitches = () => Promise.all(Object.values(deps).map((s: TcpSwitch) => s.off()));
  try {
    await Promise.all(Object.values(deps).map((s: TcpSwitch) => s.on()));
    const through = (url: string, sw: TcpSwitch) => {
      const parsed = new URL(url);
      parsed.host = sw.address;
      return parsed.toString().replace(/\/$/, '');
    };
    const ctx = await startE2eStack(name, {
      redisUrl: through(redisUrl, deps.redis),
      natsUrl: through(natsUrl, deps.nats),
      databaseAddress: deps.mysql.address,
      ...options,
    });
    return {
      ...ctx,
      deps,
      async teardown() {
        // Everything back on first, so that the services stop as they would normally (draining, flushing).
        await Promise.all(Object.values(deps).map((s: TcpSwitch) => s.on()));
        try {
          await ctx.teardown();
        } finally {
          await closeSwitches();
        }
      },
    };
  } catch (error) {
    await closeSwitches();
    throw error;
  }
}
