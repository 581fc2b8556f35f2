// Parsing a request body from its bytes: the plain decode and JSON.parse against @aigw/formats' parseJsonBytes,
// on S7's 100 KB agent turn as it is (125 non-ASCII characters) and made ASCII. Run:
//   node --conditions=aigw-source --import tsx bench/src/micro/json-bytes.ts
import { parseJsonBytes } from '@aigw/formats';
import { agentTurnBody } from '../scenarios/agent-turn-body.js';

const turn = JSON.stringify(agentTurnBody({ model: 'claude-sonnet-4-5', directive: '[emu chunks=20 chunk_delay_ms=10 tool=none]' }));
const bodies = { 'agent turn': Buffer.from(turn), 'agent turn, ASCII': Buffer.from(turn.replace(/[^\x00-\x7f]/g, '?')) };

function perCall(run: () => unknown): number {
  for (let i = 0; i < 300; i += 1) run();
  const rounds: number[] = [];
  for (let round = 0; round < 5; round += 1) {
    const start = performance.now();
    for (let i = 0; i < 500; i += 1) run();
    rounds.push(((performance.now() - start) / 500) * 1000);
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

console.log('| body | bytes | toString + JSON.parse | parseJsonBytes |\n|---|---:|---:|---:|');
for (const [name, bytes] of Object.entries(bodies)) {
  const plain = perCall(() => JSON.parse(bytes.toString('utf8')));
  const ours = perCall(() => parseJsonBytes(bytes));
  console.log(`| ${name} | ${bytes.length} | ${plain.toFixed(0)} µs | ${ours.toFixed(0)} µs |`);
}
