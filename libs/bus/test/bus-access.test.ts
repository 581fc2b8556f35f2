import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { nkeys, StringCodec } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCerts, type TestCerts } from '../../../test/support/test-certs.js';
import { connectBus, type BusAccess } from '../src/index.js';

// A nats-server of this file's own on a free port, TLS only, with a user/password user and an NKEY user.
const NATS_SERVER = process.env['NATS_SERVER_BIN'] ?? 'nats-server';

describe('NATS credentials and TLS', () => {
  let certs: TestCerts;
  let server: ChildProcess;
  let port = 0;
  const nkeyUser = nkeys.createUser();
  const nkeySeed = new TextDecoder().decode(nkeyUser.getSeed());

  beforeAll(async () => {
    certs = createTestCerts();
    port = await freePort();
    const configFile = join(certs.dir, 'nats.conf');
    writeFileSync(
      configFile,
      `listen: "127.0.0.1:${port}"
tls {
  cert_file: "${certs.serverCertFile}"
  key_file: "${certs.serverKeyFile}"
  ca_file: "${certs.caFile}"
  timeout: 2
}
authorization {
  users: [
    { user: "gateway", password: "s3cret-pw" }
    { nkey: "${nkeyUser.getPublicKey()}" }
  ]
}
`,
    );
    server = spawn(NATS_SERVER, ['-c', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('nats-server did not start')), 10_000);
      server.stderr?.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Server is ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      server.once('exit', (code) => reject(new Error(`nats-server exited with ${code}`)));
    });
  });

  afterAll(() => {
    server?.kill('SIGTERM');
    certs?.remove();
  });

  const roundTrip = async (url: string, access: BusAccess) => {
    const nc = await connectBus(url, 'bus-access-test', access);
    try {
      const codec = StringCodec();
      const sub = nc.subscribe('aigw.test.tls', { max: 1 });
      nc.publish('aigw.test.tls', codec.encode('hello over tls'));
      for await (const msg of sub) return codec.decode(msg.data);
      return undefined;
    } finally {
      await nc.close();
    }
  };

  it('publishes and subscribes with user/password and with an NKEY seed, over TLS checked against the CA', async () => {
    const tls = { caFile: certs.caFile };
    expect(await roundTrip(`tls://localhost:${port}`, { ...tls, user: 'gateway', password: 's3cret-pw' })).toBe('hello over tls');
    expect(await roundTrip(`nats://127.0.0.1:${port}`, { ...tls, tls: true, nkeySeed })).toBe('hello over tls');
  });

  it('is refused with a wrong password, without credentials, or without the CA', async () => {
    const url = `tls://localhost:${port}`;
    await expect(connectBus(url, 'bus-access-test', { caFile: certs.caFile, user: 'gateway', password: 'wrong' })).rejects.toThrow(/authorization/i);
    await expect(connectBus(url, 'bus-access-test', { caFile: certs.caFile })).rejects.toThrow(/authorization/i);
    await expect(connectBus(url, 'bus-access-test', { user: 'gateway', password: 's3cret-pw' })).rejects.toThrow(/certificate/i);
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
