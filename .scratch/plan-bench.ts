import { agentTurnBody } from '../bench/src/scenarios/agent-turn-body.js';
import { planExchange } from '../services/provider-call/src/invoke/plan-exchange.js';
import { ClientFormat, StreamFraming } from '@aigw/proto';
const body = Buffer.from(JSON.stringify(agentTurnBody({ model: 'claude-sonnet-4-5', directive: '[emu chunks=20 chunk_delay_ms=10 tool=none]' })));
console.log('bytes', body.length);
const req = (kind: string) => ({ requestId: 'r', body, clientFormat: ClientFormat.CLIENT_FORMAT_ANTHROPIC, streamFraming: StreamFraming.STREAM_FRAMING_SSE, upstreamModel: 'claude-sonnet-4-5', clientHeaders: [], responseId: '',
  account: { id: 1, providerKind: kind, providerWire: '', baseUrl: 'http://127.0.0.1:1', authType: kind === 'antigravity' ? 'oauth' : 'api_key', settingsJson: kind === 'antigravity' ? '{"project":"p"}' : '' },
  credential: { headerName: 'authorization', headerValue: 'Bearer x' } }) as any;
for (const kind of (process.env.KINDS ?? 'antigravity,anthropic').split(',')) {
  const r = req(kind);
  for (let i = 0; i < 300; i++) planExchange(r, true);
  const n = Number(process.env.N ?? 500); const s = performance.now();
  for (let i = 0; i < n; i++) planExchange(r, true);
  console.log(kind, ((performance.now() - s) / n * 1000).toFixed(0), 'µs');
}
