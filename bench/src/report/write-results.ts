import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchRecord } from './bench-record.js';
import { markdownReport } from './markdown-report.js';

/** Writes `<dir>/<timestamp>.json`, `<dir>/<timestamp>.md` and `<dir>/latest.md`; returns the two paths. */
export function writeResults(dir: string, record: BenchRecord): { json: string; markdown: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = record.startedAt.replace(/\.\d+Z$/, 'Z').replace(/:/g, '-');
  const json = join(dir, `${stamp}.json`);
  const markdown = join(dir, `${stamp}.md`);
  const text = markdownReport(record);
  writeFileSync(json, `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(markdown, text);
  writeFileSync(join(dir, 'latest.md'), text);
  return { json, markdown };
}
