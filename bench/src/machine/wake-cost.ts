import { connect, type Socket } from 'node:net';
import { percentile, sortedSamples } from '../measure/stats.js';
import { startChild, tsEntryArgs } from '../processes/child-process.js';
import { processCpuSeconds } from './proc-stats.js';

// What it costs this machine to wake a Node process, measured at the start of every run: 256-byte messages
// to an echo server in its own process, one at a time, sent back to back and then with an idle gap before
// each (2 ms: about a request's own chain at one connection; 10 ms: S4's chunk spacing). Every hop of a
// request through the gateway wakes a process, and on a VM whose idle vCPUs sleep, a wake-up after a pause
// can cost several times the CPU and latency of one in a busy loop.

export interface WakeCost {
  /** Idle time before each message, ms (0 = back to back). */
  gapMs: number;
  messages: number;
  /** Round trip, median, µs. */
  roundTripP50Us: number;
  /** The echo process's CPU time (user + system, all threads) per message, µs. */
  echoCpuUsPerMessage: number;
}

const MESSAGE = Buffer.alloc(256, 0x61);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One message out and its echo back; resolves with the round trip in µs. */
function roundTrip(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    const start = process.hrtime.bigint();
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received < MESSAGE.length) return;
      socket.off('data', onData);
      resolve(Number(process.hrtime.bigint() - start) / 1e3);
    };
    socket.on('data', onData);
    socket.write(MESSAGE);
  });
}

async function series(socket: Socket, pid: number, gapMs: number, messages: number): Promise<WakeCost> {
  for (let i = 0; i < Math.min(200, messages); i++) await roundTrip(socket);
  const samples: number[] = [];
  const cpuBefore = processCpuSeconds(pid) ?? Number.NaN;
  for (let i = 0; i < messages; i++) {
    if (gapMs > 0) await sleep(gapMs);
    samples.push(await roundTrip(socket));
  }
  const cpuAfter = processCpuSeconds(pid) ?? Number.NaN;
  return {
    gapMs,
    messages,
    roundTripP50Us: percentile(sortedSamples(samples), 50),
    echoCpuUsPerMessage: ((cpuAfter - cpuBefore) * 1e6) / messages,
  };
}

/** Measures back to back and with each of `gapsMs` before every message. */
export async function measureWakeCost(gapsMs: readonly number[] = [0, 2, 10], messages = 1_000): Promise<WakeCost[]> {
  const echo = await startChild({
    label: 'echo',
    command: process.execPath,
    args: tsEntryArgs('bench/src/processes/echo-main.ts'),
    readyLine: /^\{"ready":true,"port":(\d+)\}$/,
  });
  const socket = connect(Number(echo.ready[1]), '127.0.0.1');
  socket.setNoDelay(true);
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const results: WakeCost[] = [];
    for (const gapMs of gapsMs) results.push(await series(socket, echo.pid, gapMs, messages));
    return results;
  } finally {
    socket.destroy();
    await echo.stop();
  }
}
