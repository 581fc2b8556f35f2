import { setTimeout as sleep } from 'node:timers/promises';
import { findInfraProcesses, type LabelledPid } from './machine/infra-processes.js';
import type { BenchOptions } from './options/bench-options.js';
import type { RunningChild } from './processes/child-process.js';
import { startEmulator, type Emulator } from './targets/emulator-target.js';
import { AGENT_MODELS, startGateway, type Gateway } from './targets/gateway-target.js';
import { startPortkey } from './targets/portkey-target.js';
import { startProxyHop } from './targets/proxy-hop-target.js';
import { chatRequest, probe, type Target, type UnavailableTarget } from './targets/target.js';
import type { Isolation } from './isolation.js';
import { progress } from './scenarios/bench-context.js';

// Everything the scenarios run against: the emulator, the peers in front of it, and the whole gateway.
// A peer that cannot start is kept as an unavailable target with the reason; the gateway must start.

export interface BenchSetup {
  emulator: Emulator;
  gateway: Gateway;
  targets: (Target | UnavailableTarget)[];
  /** Every process each run measures. */
  watched: LabelledPid[];
  /** One line per target: what it is and how it runs. */
  notes: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts everything; on failure stops what it started and rethrows. */
export async function setUp(options: BenchOptions, isolation: Isolation): Promise<BenchSetup> {
  const children: RunningChild[] = [];
  let gateway: Gateway | undefined;
  const stop = async () => {
    await gateway?.stack.stop();
    await Promise.allSettled(children.map((c) => c.stop()));
  };
  try {
    progress('starting the upstream emulator');
    const emulator = await startEmulator();
    children.push(emulator.child);
    const notes: Record<string, string> = {
      direct: `the upstream emulator (tools/emulators, OpenAI format) alone in its own Node process, called directly`,
    };
    const byName = new Map<string, Target | UnavailableTarget>([['direct', emulator.direct]]);

    if (options.targets.includes('proxy-hop')) {
      const hop = await startProxyHop(emulator.url);
      children.push(hop.child);
      byName.set('proxy-hop', hop.target);
      notes['proxy-hop'] = 'bare node:http server forwarding through an undici Pool (keep-alive, unbounded connections), bench/src/processes/proxy-hop-main.ts';
    }
    if (options.targets.includes('portkey')) {
      try {
        const portkey = await startPortkey(emulator.url);
        children.push(portkey.child);
        byName.set('portkey', portkey.target);
        notes['portkey'] =
          `@portkey-ai/gateway ${portkey.version} from npm on Node ${process.version}: node --import bench/src/processes/portkey-fetch-shim.mjs (its streams work on Node 20) build/start-server.js --headless, NODE_ENV=production; ` +
          'requests carry x-portkey-provider: openai (S7: anthropic) and x-portkey-custom-host: <emulator>/v1';
      } catch (error) {
        const reason = `Portkey could not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
        byName.set('portkey', { name: 'portkey', reason });
        notes['portkey'] = reason;
      }
    }

    progress('starting the gateway stack (five services)');
    gateway = await startGateway(isolation, { url: emulator.url, tokenUrl: emulator.tokenUrl }, { profileDir: options.profileDir });
    await waitUntilServing(gateway.target, options.model);
    byName.set('gateway', gateway.target);
    notes['gateway'] =
      'the five services as real processes (tools/dev startStack: LOG_LEVEL info, every setting at its default), Redis, MariaDB, NATS JetStream and ' +
      'the logging service live; provider `openai` → emulator, 2 API-key accounts, no proxy binding, route gpt-* → openai with session affinity ' +
      'on (the default): a scenario\'s requests share one prompt, so they count as one conversation and go to one account; ' +
      `for S7 provider \`anthropic\` (2 API-key accounts, route ${AGENT_MODELS.passThrough}: pass-through) and \`antigravity\` (2 OAuth accounts ` +
      `refreshed at the emulator process's token endpoint, route ${AGENT_MODELS.translated}: Anthropic → Cloud Code translation); ` +
      'request logs batched with the outbox on (defaults; tools/dev gives each ingress its LOG_OUTBOX_DIR); ' +
      `fresh database, Redis prefix \`${isolation.redisKeyPrefix}\`, stream \`${isolation.logStream}\`, dropped afterwards`;

    const targets = options.targets.map((name) => byName.get(name) ?? { name, reason: 'not started' });
    const watched: LabelledPid[] = [
      { label: 'emulator', pid: emulator.child.pid },
      ...targets.flatMap((t) => ('processes' in t ? t.processes : [])),
      ...findInfraProcesses(),
      { label: 'harness', pid: process.pid },
    ];
    if (!targets.some((t) => t.name === 'gateway')) watched.push(...gateway.target.processes);
    return { emulator, gateway, targets, watched, notes, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Config-change events refresh the services' caches; wait until the gateway answers the first request. */
async function waitUntilServing(target: Target, model: string): Promise<void> {
  const until = Date.now() + 30_000;
  let failure: string | undefined;
  while (Date.now() < until) {
    failure = await probe(chatRequest(target, model, '', false));
    if (failure === undefined) return;
    await sleep(250);
  }
  throw new Error(`the gateway does not serve the benchmark's request: ${failure}`);
}
