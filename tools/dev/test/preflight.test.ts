import { describe, expect, it } from 'vitest';
import { checkInfrastructure, describeProblems } from '../src/preflight.js';

describe('checkInfrastructure', () => {
  it('finds the local Redis, MariaDB and NATS with JetStream', async () => {
    expect(await checkInfrastructure({})).toEqual([]);
  });

  it('names each unreachable dependency, its address without password, and how to start it', async () => {
    const problems = await checkInfrastructure({
      REDIS_URL: 'redis://127.0.0.1:1',
      DATABASE_URL: 'mysql://root:hunter22@127.0.0.1:1/aigateway',
      NATS_URL: 'nats://127.0.0.1:1',
    });
    expect(problems.map((p) => [p.name, p.address])).toEqual([
      ['Redis', 'redis://127.0.0.1:1'],
      ['MariaDB', 'mysql://127.0.0.1:1'],
      ['NATS', 'nats://127.0.0.1:1'],
    ]);
    const text = describeProblems(problems);
    expect(text).toContain('redis-server');
    expect(text).toContain('mariadbd');
    expect(text).toContain('nats-server -js');
    expect(text).not.toContain('hunter22');
  });
});
