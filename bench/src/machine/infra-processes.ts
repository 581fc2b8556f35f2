import { readdirSync } from 'node:fs';
import { processName } from './proc-stats.js';

// The shared servers the gateway leans on. Their CPU time during a run is part of what the gateway costs
// (Redis round robin, JetStream publishes, the logging service's inserts), so the report shows it too.
// They are found by command name, read only, and never signalled.

const INFRA_NAMES: Readonly<Record<string, string>> = {
  mariadbd: 'mariadb',
  mysqld: 'mysql',
  'redis-server': 'redis',
  'nats-server': 'nats',
};

export interface LabelledPid {
  label: string;
  pid: number;
  /** A server shared with the rest of the machine: read its CPU time, leave its counters alone. */
  shared?: boolean;
}

/** Pids of the local MariaDB/MySQL, Redis and NATS servers (whichever run on this machine). */
export function findInfraProcesses(): LabelledPid[] {
  const found: LabelledPid[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    const label = INFRA_NAMES[processName(pid) ?? ''];
    if (label !== undefined) found.push({ label: found.some((f) => f.label === label) ? `${label}#${pid}` : label, pid, shared: true });
  }
  return found;
}
