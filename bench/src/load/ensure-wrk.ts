import { spawnSync } from 'node:child_process';

// wrk is preferred (microsecond latencies, C, one core). When it is missing the bench installs Debian's
// package if it may (root with apt-get), and otherwise says that it falls back to autocannon.

function hasWrk(): boolean {
  return spawnSync('wrk', ['--version'], { stdio: 'ignore' }).error === undefined;
}

/** True when wrk is (now) available; prints what it does. */
export function ensureWrk(): boolean {
  if (hasWrk()) return true;
  const isRoot = process.getuid?.() === 0;
  const hasApt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).error === undefined;
  if (!isRoot || !hasApt) {
    console.warn('wrk is not installed and cannot be installed here (needs root and apt-get)');
    return false;
  }
  console.log('wrk is not installed: apt-get install -y wrk …');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'inherit', env });
  if (install.status !== 0) {
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'wrk'], { stdio: 'inherit', env });
  }
  return install.status === 0 && hasWrk();
}
