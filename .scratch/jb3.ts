import { jsonText } from '@aigw/formats';
import { agentTurnBody } from '../bench/src/scenarios/agent-turn-body.js';
const body = Buffer.from(JSON.stringify(agentTurnBody({ model: 'claude-sonnet-4-5', directive: '[emu chunks=20 chunk_delay_ms=10 tool=none]' })));
for (let i = 0; i < 20000; i++) jsonText(body);
