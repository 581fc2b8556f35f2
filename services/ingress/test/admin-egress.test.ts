import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { EgressPolicy } from '@aigw/egress';
import { createServer } from '../src/server.js';
import { ADMIN_TOKEN, fakeServerDeps } from './support/fake-deps.js';

// The default policy (nothing allowed besides public addresses): every internal address form is refused with
// a 400 naming the field, before anything is stored (the fake deps have no database to store into).

const INTERNAL = [
  'http://127.0.0.1:6379',
  'http://0x7f000001:8080',
  'http://2130706433/',
  'http://0177.0.0.1/',
  'http://127.1/',
  'http://localhost:9000',
  'http://[::1]:8080',
  'http://[::ffff:127.0.0.1]/',
  'http://10.0.0.8/',
  'http://172.16.5.4/',
  'http://192.168.0.1/',
  'http://100.64.0.1/',
  'http://[fd00::]/',
  'http://169.254.169.254/latest/meta-data/',
  'http://[fe80::1]/',
  'http://0.0.0.0:8080',
];

async function adminApi() {
  const { deps } = await fakeServerDeps({ admin: { egress: new EgressPolicy() } });
  const app = createServer(deps);
  const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
  return {
    post: (path: string, body: object) => request(app).post(`/api/v1${path}`).set(auth).send(body),
    patch: (path: string, body: object) => request(app).patch(`/api/v1${path}`).set(auth).send(body),
  };
}

/** The refusal's message for `field`, after checking the answer is the admin API's 400. */
function refusal(res: request.Response, field: string): string {
  expect(res.status, JSON.stringify(res.body)).toBe(400);
  expect(res.body.error).toMatchObject({ type: 'invalid_request_error', code: 'invalid_request' });
  return res.body.error.fields[field] as string;
}

describe('admin API egress policy', () => {
  it('refuses provider and account base URLs in every internal address form', async () => {
    const api = await adminApi();
    for (const baseUrl of INTERNAL) {
      expect(refusal(await api.post('/providers', { name: 'p', kind: 'openai', baseUrl }), 'baseUrl'), baseUrl).toMatch(
        /^refused by the egress policy: .* is (a loopback address|this machine|a private address|a link-local address|the unspecified address)/,
      );
      expect(refusal(await api.patch('/providers/1', { baseUrl }), 'baseUrl'), baseUrl).toMatch(/^refused by the egress policy/);
      const account = { providerId: 1, label: 'a', authType: 'api_key', credentials: { apiKey: 'k' }, baseUrl };
      expect(refusal(await api.post('/accounts', account), 'baseUrl'), baseUrl).toMatch(/^refused by the egress policy/);
      expect(refusal(await api.patch('/accounts/1', { baseUrl }), 'baseUrl'), baseUrl).toMatch(/^refused by the egress policy/);
    }
  });

  it('names the metadata address as link-local and says how to allow an address', async () => {
    const api = await adminApi();
    const message = refusal(await api.post('/providers', { name: 'p', kind: 'openai', baseUrl: 'http://169.254.169.254/' }), 'baseUrl');
    expect(message).toBe('refused by the egress policy: 169.254.169.254 is a link-local address (cloud metadata lives there); allow it with EGRESS_ALLOW');
  });

  it('refuses OAuth token URLs', async () => {
    const api = await adminApi();
    for (const tokenUrl of INTERNAL) {
      const credentials = { clientId: 'c', clientSecret: 's', refreshToken: 'r', tokenUrl };
      const res = await api.post('/accounts', { providerId: 1, label: 'a', authType: 'oauth', credentials });
      expect(refusal(res, 'credentials.tokenUrl'), tokenUrl).toMatch(/^refused by the egress policy/);
    }
  });

  it('refuses proxy URLs pointing inside, and SOCKS proxies whatever their host', async () => {
    const api = await adminApi();
    for (const host of INTERNAL.map((url) => new URL(url).host)) {
      const proxyUrl = `http://user:pass@${host}`;
      expect(refusal(await api.post('/proxies', { label: 'p', proxyUrl }), 'proxyUrl'), proxyUrl).toMatch(/^refused by the egress policy/);
      expect(refusal(await api.patch('/proxies/1', { proxyUrl }), 'proxyUrl'), proxyUrl).toMatch(/^refused by the egress policy/);
    }
    for (const proxyUrl of ['socks4://proxy.example:1080', 'socks4a://proxy.example:1080', 'socks5://proxy.example:1080', 'socks5h://u:p@proxy.example:1080']) {
      expect(refusal(await api.post('/proxies', { label: 'p', proxyUrl }), 'proxyUrl'), proxyUrl).toMatch(/^SOCKS proxies are not supported/);
    }
  });

  it('lets public hosts and names through to storage (names are checked again when connecting)', async () => {
    const api = await adminApi();
    // The fake deps have no database: getting past the checks shows as a 500 from the missing prisma, not a 400.
    for (const baseUrl of ['https://api.openai.com/v1', 'https://8.8.8.8/', 'https://[2606:4700::1111]/']) {
      const res = await api.post('/providers', { name: 'p', kind: 'openai', baseUrl });
      expect(res.status, baseUrl).not.toBe(400);
    }
  });
});
