import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCerts, type TestCerts } from '../../../test/support/test-certs.js';
import { Cluster, createRedis, Redis, type RedisClient } from '../src/index.js';

// Credentials against the local Redis (an ACL user of this run's own, removed after) and TLS against a
// redis-server this file starts on a free port with a throwaway CA.
const LOCAL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

async function settle(client: RedisClient): Promise<string> {
  try {
    return String(await client.ping());
  } finally {
    client.disconnect();
  }
}

describe('Redis credentials (ACL user)', () => {
  const user = `aigw-test-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let admin: Redis;

  beforeAll(async () => {
    admin = new Redis(LOCAL);
    await admin.call('ACL', 'SETUSER', user, 'on', `>${password}`, `~${user}:*`, '+@all');
  });

  afterAll(async () => {
    await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  });

  it('authenticates with REDIS_USERNAME/REDIS_PASSWORD and with the URL, and is refused with a wrong password', async () => {
    expect(await settle(createRedis(LOCAL, { access: { username: user, password } }))).toBe('PONG');
    const url = new URL(LOCAL);
    url.username = user;
    url.password = password;
    expect(await settle(createRedis(url.toString()))).toBe('PONG');

    const wrong = createRedis(LOCAL, { access: { username: user, password: 'wrong' }, commandTimeoutMs: 1_000 });
    await expect(settle(wrong)).rejects.toThrow(/WRONGPASS|invalid username-password|Connection is closed|timed out/i);
  });

  it('writes only where the ACL lets the user (the key prefix namespaces the keys)', async () => {
    const redis = createRedis(LOCAL, { keyPrefix: `${user}:`, access: { username: user, password } });
    try {
      await redis.set('k', 'v', 'PX', 10_000);
      expect(await admin.get(`${user}:k`)).toBe('v');
    } finally {
      redis.disconnect();
    }
  });
});

describe('Redis Cluster credentials and TLS', () => {
  it('gives every node the URL credentials, the settings and TLS, and connects by name under TLS', () => {
    // No cluster runs here: the seed is a closed port, and only the options every node connection gets are read.
    const cluster = createRedis('rediss://app:from-url@ignored:6379', {
      clusterNodes: '127.0.0.1:1',
      access: { password: 'from-setting' },
    });
    try {
      expect(cluster).toBeInstanceOf(Cluster);
      const options = (cluster as Cluster).options;
      expect(options.redisOptions).toMatchObject({ username: 'app', password: 'from-setting', tls: {} });
      const looked: string[] = [];
      options.dnsLookup?.('redis-0.example.internal', (_error, address) => looked.push(address));
      expect(looked).toEqual(['redis-0.example.internal']);
    } finally {
      cluster.disconnect();
    }
  });
});

describe('Redis over TLS', () => {
  let certs: TestCerts;
  let server: ChildProcess;
  let port = 0;

  beforeAll(async () => {
    certs = createTestCerts();
    port = await freePort();
    server = spawn(
      'redis-server',
      ['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
        '--tls-cert-file', certs.serverCertFile, '--tls-key-file', certs.serverKeyFile, '--tls-ca-cert-file', certs.caFile,
        '--tls-auth-clients', 'optional', '--requirepass', 'tls-secret'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('redis-server --tls-port did not start')), 10_000);
      server.stdout?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
  });

  afterAll(() => {
    server?.kill('SIGTERM');
    certs?.remove();
  });

  it('connects with rediss://, the CA file and the password, and refuses a server its CA did not sign', async () => {
    const url = `rediss://:tls-secret@localhost:${port}`;
    expect(await settle(createRedis(url, { access: { caFile: certs.caFile } }))).toBe('PONG');
    expect(
      await settle(createRedis(`redis://127.0.0.1:${port}`, { access: { tls: true, password: 'tls-secret', caFile: certs.caFile, certFile: certs.clientCertFile, keyFile: certs.clientKeyFile } })),
    ).toBe('PONG');
    // Node's own CAs do not know the test CA: the connection never becomes ready.
    await expect(settle(createRedis(url, { commandTimeoutMs: 1_000 }))).rejects.toThrow();
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
