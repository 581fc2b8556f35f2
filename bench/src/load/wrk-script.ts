import type { LoadRequest } from './load-request.js';

// The Lua script that makes wrk POST a fixed request and report its figures as one JSON line. wrk keeps
// latencies in microseconds, which is what S0 needs (its budget is 1 ms at p50).

/** The marker of the JSON line the script prints when wrk is done. */
export const WRK_JSON_MARKER = 'WRK_JSON ';

/** A Lua double-quoted string literal holding `text` byte for byte. */
export function luaString(text: string): string {
  let out = '"';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte === 0x22) out += '\\"';
    else if (byte === 0x5c) out += '\\\\';
    else if (byte < 0x20 || byte === 0x7f) out += `\\${String(byte).padStart(3, '0')}`;
    else out += String.fromCharCode(byte);
  }
  return `${out}"`;
}

/** The whole script for one request. */
export function wrkScript(request: LoadRequest): string {
  const headers = Object.entries(request.headers)
    .map(([name, value]) => `wrk.headers[${luaString(name)}] = ${luaString(value)}`)
    .join('\n');
  return `wrk.method = ${luaString(request.method)}
wrk.body = ${luaString(request.body)}
${headers}

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('${WRK_JSON_MARKER}{"durationUs":%d,"requests":%d,"bytes":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,' ..
    '"p50":%.3f,"p90":%.3f,"p99":%.3f,"p999":%.3f,"mean":%.3f,"max":%.3f}\\n',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.mean, latency.max))
end
`;
}

/** The figures the script prints; latencies in microseconds. */
export interface WrkFigures {
  durationUs: number;
  requests: number;
  bytes: number;
  connect: number;
  read: number;
  write: number;
  status: number;
  timeout: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  mean: number;
  max: number;
}

/** Finds and parses the script's JSON line in wrk's output. */
export function parseWrkOutput(stdout: string): WrkFigures {
  const line = stdout.split('\n').find((l) => l.startsWith(WRK_JSON_MARKER));
  if (line === undefined) throw new Error(`wrk printed no result line:\n${stdout.slice(-2000)}`);
  return JSON.parse(line.slice(WRK_JSON_MARKER.length)) as WrkFigures;
}
