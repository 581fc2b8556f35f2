import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { profileSummaryMarkdown, summariseProfile, type CpuProfile } from './profile-summary.js';

/**
 * Summarises every `<dir>/<service>/*.cpuprofile` (written when `--profile` made each service run with
 * --cpu-prof, once it stopped) into `<dir>/summary.md`; returns that path, or undefined when none was found.
 */
export function writeProfileSummary(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const summaries = [];
  for (const service of readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort()) {
    for (const file of readdirSync(join(dir, service)).filter((name) => name.endsWith('.cpuprofile')).sort()) {
      const profile = JSON.parse(readFileSync(join(dir, service, file), 'utf8')) as CpuProfile;
      summaries.push({ service, file, summary: summariseProfile(profile) });
    }
  }
  if (summaries.length === 0) return undefined;
  const path = join(dir, 'summary.md');
  writeFileSync(path, profileSummaryMarkdown(summaries));
  return path;
}
