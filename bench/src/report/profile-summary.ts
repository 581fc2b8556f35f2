// Where a service's CPU time went, from the V8 CPU profile that `--cpu-prof` writes: self time by owner
// (a package, one of our workspaces, a Node module, or a native frame such as the garbage collector or a
// socket write) and by function, as shares of the busy time (idle excluded).

/** The parts of a `.cpuprofile` (Chrome DevTools' format) the summary reads. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  samples: number[];
  /** Microseconds since the previous sample, one per sample. */
  timeDeltas: number[];
}

export interface ProfileSummary {
  /** Sampled time, idle included, in ms. */
  totalMs: number;
  /** Sampled time spent working, in ms. */
  busyMs: number;
  /** Self time by owner, largest first, as % of busy time. */
  byOwner: { name: string; percent: number }[];
  /** Self time by function (`name file:line`), largest first, as % of busy time. */
  byFunction: { name: string; percent: number }[];
}

const IDLE = '(idle)';

/** Who a frame belongs to: npm package, workspace (`services/ingress`), Node module, or the native frame's name. */
export function ownerOf(url: string, functionName: string): string {
  if (url === '') return `native ${functionName || '(anonymous)'}`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1] !== undefined) return pkg[1];
  const workspace = /\/(libs|services|tools|bench)\/([^/]+)\//.exec(url);
  if (workspace !== null) return `${workspace[1]}/${workspace[2]}`;
  if (url.startsWith('node:')) return `node:${url.replace(/^node:(internal\/)?/, '').split('/')[0]}`;
  return url;
}

function topShares(times: Map<string, number>, busy: number, limit: number): { name: string; percent: number }[] {
  return [...times]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, time]) => ({ name, percent: busy > 0 ? (100 * time) / busy : 0 }));
}

/** Summarises one profile; `limit` bounds each list. */
export function summariseProfile(profile: CpuProfile, limit = 20): ProfileSummary {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<number, number>();
  profile.samples.forEach((id, i) => selfTime.set(id, (selfTime.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));

  let total = 0;
  let busy = 0;
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, time] of selfTime) {
    total += time;
    const frame = nodes.get(id)?.callFrame;
    if (frame === undefined || frame.functionName === IDLE) continue;
    busy += time;
    const owner = ownerOf(frame.url, frame.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + time);
    const file = frame.url.split('/').slice(-2).join('/');
    const name = frame.url === '' ? owner : `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + time);
  }
  return {
    totalMs: total / 1000,
    busyMs: busy / 1000,
    byOwner: topShares(byOwner, busy, limit),
    byFunction: topShares(byFunction, busy, limit),
  };
}

/** The summaries of several services as markdown: one section per service, owners and functions side by side. */
export function profileSummaryMarkdown(summaries: { service: string; file: string; summary: ProfileSummary }[]): string {
  const lines = [
    '# Where the CPU time went',
    '',
    'Self time from each service\'s V8 CPU profile (`npm run bench -- --profile=DIR`), over the whole life of the',
    'process (start-up included), as a share of its busy time. "native writev"/"native writeBuffer" are socket',
    'writes (the kernel\'s share of them included), "native (program)" is V8 and Node native code outside',
    'JavaScript, "native (garbage collector)" is GC.',
  ];
  for (const { service, file, summary } of summaries) {
    lines.push('', `## ${service}`, '', `${file}: busy ${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s sampled`, '');
    lines.push('| owner | % | function | % |', '| --- | ---: | --- | ---: |');
    const rows = Math.max(summary.byOwner.length, summary.byFunction.length);
    for (let i = 0; i < rows; i++) {
      const owner = summary.byOwner[i];
      const fn = summary.byFunction[i];
      lines.push(`| ${owner?.name ?? ''} | ${owner ? owner.percent.toFixed(1) : ''} | ${fn?.name.replaceAll('|', '\\|') ?? ''} | ${fn ? fn.percent.toFixed(1) : ''} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}
