import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, it } from 'vitest';
import {
  repoPaths,
  resultsFileFor,
  STALE_MESSAGE,
  tableState,
  type ConformanceResult,
  type Mode,
  type ResultsFile,
} from '../../../tools/dev/src/conformance-table.js';

// Records the outcome of every conformance case of one test file, in registration order, and once all
// of them ran writes the file's results for the README table and checks that the table is current.
// A filtered or interrupted run writes nothing, so it can never shrink the table.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** Set by `npm run conformance`, which rewrites the table after the run instead of checking it. */
const UPDATING = process.env['AIGW_CONFORMANCE_UPDATE'] === '1';

export interface CaseKey {
  provider: string;
  feature: string;
  mode: Mode;
}

/**
 * `pass`; the fields the gateway reported dropped (by design) while the rest was exact; `estimate`: a token
 * count the provider cannot make, answered by the gateway's tokenizer and flagged as such; or `unsupported`:
 * the provider kind has no such API and the gateway refused the call with a 400 naming it.
 */
export type CaseOutcome = 'pass' | 'estimate' | 'unsupported' | { dropped: string[] };

/** The installed version of an npm package (its manifest is not always among its exports). */
export function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

export class ResultsRecorder {
  readonly #slots: Array<ConformanceResult | undefined> = [];

  constructor(
    private readonly testFile: string,
    private readonly client: string,
    private readonly sdk: string,
  ) {
    // While the table is being regenerated, a file that does not complete must leave no results behind,
    // so the table is written from this run only (or not at all).
    if (UPDATING) beforeAll(() => rmSync(resultsFileFor(repoPaths(ROOT).resultsDir, testFile), { force: true }));
  }

  /** Registers one case as a test; its outcome is recorded whether it passes or fails. */
  case(name: string, key: CaseKey, run: () => Promise<CaseOutcome>, timeout?: number): void {
    const slot = this.#slots.length;
    this.#slots.push(undefined);
    it(
      name,
      async () => {
        const result = { client: this.client, ...key };
        try {
          const outcome = await run();
          this.#slots[slot] = { ...result, outcome: typeof outcome === 'string' ? outcome : `dropped:${outcome.dropped.join(',')}` };
        } catch (error) {
          this.#slots[slot] = { ...result, outcome: 'fail' };
          throw error;
        }
      },
      timeout,
    );
  }

  /** Registers the last test of the file: write the results, then compare README's table with all results. */
  checkReadmeLast(): void {
    it('README conformance table matches the results', (ctx) => {
      const results = this.#slots.filter((r): r is ConformanceResult => r !== undefined);
      if (results.length < this.#slots.length) {
        ctx.skip(`only ${results.length} of ${this.#slots.length} cases ran: results not recorded`);
        return;
      }
      const paths = repoPaths(ROOT);
      const file: ResultsFile = { client: this.client, sdk: this.sdk, sdkVersion: packageVersion(this.sdk), results };
      mkdirSync(paths.resultsDir, { recursive: true });
      writeFileSync(resultsFileFor(paths.resultsDir, this.testFile), `${JSON.stringify(file, null, 1)}\n`);
      if (UPDATING) return;
      const state = tableState(paths);
      if (state.state === 'stale') {
        const failed = results.filter((r) => r.outcome === 'fail').length;
        throw new Error(failed > 0 ? `${failed} conformance case(s) of this file failed (see above); once fixed, ${STALE_MESSAGE}` : STALE_MESSAGE);
      }
    });
  }
}
