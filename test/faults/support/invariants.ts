import type { PrismaClient } from '@aigw/db';
import type { Stack } from '@aigw/dev';
import { eventually } from '../../e2e/support/eventually.js';
import type { Outcome } from './load.js';

/**
 * The fault suite's invariant: every request the gateway answered (any status) has exactly one row in
 * `request_logs`, with the status the client saw, once the log path has caught up (`timeoutMs`, a minute by
 * default: the bound after recovery). `request_id` is unique, so "exactly one" means "present, once";
 * the status check catches a row written for another request. Resolves with the number of rows checked.
 */
export async function expectOneLogRowEach(prisma: PrismaClient, outcomes: readonly Outcome[], { timeoutMs = 60_000 } = {}): Promise<number> {
  const answered = outcomes.filter((o) => o.status !== 0);
  const withoutId = answered.filter((o) => o.requestId === '');
  if (withoutId.length > 0) {
    throw new Error(`${withoutId.length} answers carried no x-request-id, e.g. status ${withoutId[0]!.status}`);
  }
  const expected = new Map(answered.map((o) => [o.requestId, o.status]));
  if (expected.size !== answered.length) throw new Error('two answers carried the same x-request-id');
  await eventually(
    async () => {
      const found = new Map<string, number>();
      const ids = [...expected.keys()];
      for (let i = 0; i < ids.length; i += 1000) {
        const rows = await prisma.requestLog.findMany({
          where: { requestId: { in: ids.slice(i, i + 1000) } },
          select: { requestId: true, statusCode: true },
        });
        for (const row of rows) found.set(row.requestId, row.statusCode);
      }
      const missing = ids.filter((id) => !found.has(id));
      if (missing.length > 0) {
        throw new Error(`${missing.length} of ${ids.length} answered requests have no log row, e.g. ${missing.slice(0, 3).join(', ')}`);
      }
      const wrong = ids.filter((id) => found.get(id) !== expected.get(id));
      if (wrong.length > 0) {
        const id = wrong[0]!;
        throw new Error(`${wrong.length} log rows disagree with the answer's status, e.g. ${id}: answered ${expected.get(id)}, logged ${found.get(id)}`);
      }
    },
    { timeoutMs, intervalMs: 500 },
  );
  return expected.size;
}

/** Lines a service must never print, however its dependencies fail. */
const FORBIDDEN_OUTPUT: readonly [RegExp, string][] = [
  [/Unhandled error event/, 'an unhandled error event'],
  [/^\s+at (?:async )?\S.*[(]?\S+:\d+:\d+[)]?\s*$/m, 'a stack trace'],
  [/\\n\s+at (?:async )?\S+ \(\S+:\d+:\d+\)/, 'a stack trace inside a JSON log line'],
  [/UnhandledPromiseRejection|uncaughtException/i, 'an unhandled rejection or exception'],
];

/** Asserts that no service printed an unhandled error event or a stack trace (issue 14's "Done when"). */
export function expectCleanOutput(stack: Stack): void {
  const problems: string[] = [];
  for (const line of stack.logs()) {
    for (const [pattern, what] of FORBIDDEN_OUTPUT) {
      if (pattern.test(line)) problems.push(`${what}: ${line.slice(0, 300)}`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`service output is not clean (${problems.length} lines):\n${problems.slice(0, 10).join('\n')}`);
  }
}
