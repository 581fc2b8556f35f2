import type { LabelledPid } from '../machine/infra-processes.js';
import type { LoadGenerator } from '../load/load-request.js';
import type { BenchOptions } from '../options/bench-options.js';
import type { Target, UnavailableTarget } from '../targets/target.js';

/** What every scenario runner needs: the options, the targets, the load generator and what to watch. */
export interface BenchContext {
  options: BenchOptions;
  /** Targets in report order (direct first, gateway last). */
  targets: (Target | UnavailableTarget)[];
  generator: LoadGenerator;
  generatorTool: 'wrk' | 'autocannon';
  /** Every process whose CPU and memory each run records. */
  watched: LabelledPid[];
  /** Notes for the report (busy machine, targets that failed a probe …). */
  warnings: string[];
  /** Successful gateway responses so far (to compare with the request_logs rows written). */
  gatewayResponses: number;
}

export function isAvailable(target: Target | UnavailableTarget): target is Target {
  return 'chatUrl' in target;
}

export function progress(message: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
