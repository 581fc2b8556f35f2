import { it } from 'vitest';
import { createServer } from 'node:net';
import { startE2eStack } from './support/e2e-stack.js';
import { admin, chat, openaiBody } from './support/http.js';
import { eventually } from './support/eventually.js';
const bulk = 'lorem ipsum dolor sit amet '.repeat(40000);
it('timing', async () => {
  const ctx = await startE2eStack('scratch');
  try {
    const server = createServer(); await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); const port = (server.address() as any).port; await new Promise((r) => server.close(r));
    const upstream = `${ctx.stack.emulators.upstream.url}/v1`;
    await admin(ctx.stack, 'POST', '/providers', { name: 'direct', kind: 'openai', baseUrl: upstream });
    await admin(ctx.stack, 'POST', '/accounts', { provider: 'direct', label: 'refuses', authType: 'api_key', credentials: { apiKey: 'sk-r' }, baseUrl: `http://127.0.0.1:${port}/v1` });
    await admin(ctx.stack, 'POST', '/accounts', { provider: 'direct', label: 'works', authType: 'api_key', credentials: { apiKey: 'sk-works' } });
    await admin(ctx.stack, 'POST', '/routes', { pattern: 'direct-*', provider: 'direct' });
    await eventually(async () => { const r = await chat(ctx.stack, openaiBody('direct-x', 'hi')); if (r.status !== 200) throw new Error(r.text); });
    let n = 0;
    for (const [name, mk] of [['big', (model: string) => ({ model, messages: [{ role: 'user', content: bulk }, { role: 'assistant', content: 'ok' }, { role: 'user', content: 'hi' }] })]] as const) {
      for (let i = 0; i < 4; i++) {
        const model = `direct-${n++}`;
        const t = Date.now();
        const r = await chat(ctx.stack, mk(model));
        const t2 = Date.now();
        const rec = ctx.stack.emulators.upstream.requests().filter((x) => x.model === model)[0];
        console.log(name, r.status, 'total', t2 - t, 'to-emulator', (rec?.at ?? 0) - t);
      }
    }
  } finally { await ctx.teardown(); }
}, 120000);
