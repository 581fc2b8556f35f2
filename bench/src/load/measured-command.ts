import { spawn } from 'node:child_process';

// Runs a command (the load generator) through a tiny shell that, once the command has exited and been
// reaped, prints its own cutime+cstime: the command's CPU seconds, read without racing its exit.

const CPU_MARKER = 'CHILD_CPU_TICKS ';
const SCRIPT = `"$0" "$@"; status=$?; printf '\\n${CPU_MARKER}%s\\n' "$(cut -d' ' -f16,17 /proc/$$/stat)"; exit $status`;

export interface MeasuredOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  /** CPU seconds of the command and its children (NaN when the shell could not tell). */
  cpuSeconds: number;
}

/** Runs `command args…` to completion; never rejects for a non-zero exit (the caller reads `code`). */
export function runMeasured(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<MeasuredOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', SCRIPT, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      const marker = stdout.lastIndexOf(CPU_MARKER);
      let cpuSeconds = Number.NaN;
      if (marker >= 0) {
        const [user, system] = stdout.slice(marker + CPU_MARKER.length).trim().split(/\s+/).map(Number);
        if (user !== undefined && system !== undefined) cpuSeconds = (user + system) / 100;
        stdout = stdout.slice(0, marker);
      }
      resolve({ code, stdout, stderr, cpuSeconds });
    });
  });
}
