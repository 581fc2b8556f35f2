import type { StreamScenarioRecord } from '../report/bench-record.js';
import { AGENT_MODELS } from '../targets/gateway-target.js';
import { endpointRequest, type Target } from '../targets/target.js';
import { agentTurnBody } from './agent-turn-body.js';
import type { BenchContext } from './bench-context.js';
import { AGENT_TURN_SCENARIO, agentTurnDirective } from './scenario-defs.js';
import { runStreamCase } from './stream-scenario.js';

// S7: one coding-agent turn (agent-turn-body.ts, ~100 KB of Anthropic Messages) streamed back as text in 20
// chunks 10 ms apart (agentTurnDirective), on the gateway's translated route (Anthropic → Cloud Code, provider antigravity) and on its
// pass-through route (Anthropic → Anthropic), each at 1 and at 20 connections. `direct` is the emulator
// answering the same body on its own /v1/messages (the same stream shape); Portkey and the proxy hop run
// the pass-through case, which is all they can do.

type Route = 'translated' | 'pass-through';

/** Why a peer has no column on a route. */
function cannot(target: Target, route: Route): string | undefined {
  if (route === 'pass-through' || target.name === 'direct' || target.name === 'gateway') return undefined;
  if (target.name === 'portkey') return 'Portkey has no Cloud Code (antigravity) provider: it cannot translate Anthropic Messages to it';
  return 'a bare hop forwards bytes: it cannot translate Anthropic Messages to Cloud Code';
}

/** Runs S7's four cases (route × connections); one record each. */
export async function runAgentTurnScenario(ctx: BenchContext): Promise<StreamScenarioRecord[]> {
  const directive = agentTurnDirective();
  const records: StreamScenarioRecord[] = [];
  for (const route of ['translated', 'pass-through'] as const) {
    const model = route === 'translated' ? AGENT_MODELS.translated : AGENT_MODELS.passThrough;
    // Serialised once: every target and run sends exactly these bytes.
    const body = JSON.stringify(agentTurnBody({ model, directive }));
    for (const connections of AGENT_TURN_SCENARIO.connections) {
      records.push(
        await runStreamCase(ctx, {
          id: AGENT_TURN_SCENARIO.id,
          title: `${AGENT_TURN_SCENARIO.title}, ${route} (model ${model}), ${connections} connection${connections === 1 ? '' : 's'}`,
          connections,
          format: 'anthropic',
          extra: { route, bodyBytes: Buffer.byteLength(body) },
          request: (target) => {
            const reason = cannot(target, route) ?? (target.messages === undefined ? 'does not serve Anthropic Messages' : undefined);
            return reason !== undefined || target.messages === undefined ? { unavailable: reason ?? '' } : endpointRequest(target.messages, body);
          },
        }),
      );
    }
  }
  return records;
}
