import { agentTurnBody } from '../bench/src/scenarios/agent-turn-body.js';
const body = Buffer.from(JSON.stringify(agentTurnBody({ model: 'claude-sonnet-4-5', directive: '[emu chunks=20 chunk_delay_ms=10 tool=none]' })));
const td = new TextDecoder();
const t = (name: string, f: () => unknown) => { for (let i = 0; i < 200; i++) f(); const n = 1000, s = performance.now(); for (let i = 0; i < n; i++) f(); console.log(name, ((performance.now() - s) / n * 1000).toFixed(0), 'µs'); };
t('toString', () => body.toString('utf8'));
t('TextDecoder', () => td.decode(body));
t('latin1', () => body.toString('latin1'));
const s1 = body.toString('utf8'); const s2 = td.decode(body);
console.log(s1 === s2);
t('parse(toString)', () => JSON.parse(body.toString('utf8')));
t('parse(TextDecoder)', () => JSON.parse(td.decode(body)));
t('parse only', () => JSON.parse(s1));
import { isAscii } from 'node:buffer';
const NON_ASCII = /[\x80-\xff]+/g;
function escapeRun(run: string): string {
  const text = Buffer.from(run, 'latin1').toString('utf8');
  let out = '';
  for (let i = 0; i < text.length; i++) out += '\\u' + text.charCodeAt(i).toString(16).padStart(4, '0');
  return out;
}
function parseBytes(buf: Buffer): unknown {
  const latin = buf.toString('latin1');
  return JSON.parse(isAscii(buf) ? latin : latin.replace(NON_ASCII, escapeRun));
}
t('isAscii', () => isAscii(body));
t('latin1+replace', () => body.toString('latin1').replace(NON_ASCII, escapeRun));
t('parseBytes', () => parseBytes(body));
console.log(JSON.stringify(parseBytes(body)) === JSON.stringify(JSON.parse(s1)));
const cnt = (body.toString('latin1').match(NON_ASCII) ?? []).length; console.log('runs', cnt);
const latinS = body.toString('latin1');
t('regex exec loop', () => { const re = /[\x80-\xff]+/g; let m; let n = 0; while ((m = re.exec(latinS)) !== null) n++; return n; });
function parts(buf: Buffer): string {
  const latin = buf.toString('latin1');
  const re = /[\x80-\xff]+/g; let m: RegExpExecArray | null; let out = ''; let last = 0;
  while ((m = re.exec(latin)) !== null) { out += latin.slice(last, m.index) + escapeRun(m[0]); last = re.lastIndex; }
  return out + latin.slice(last);
}
t('parts', () => parts(body));
t('parse parts', () => JSON.parse(parts(body)));
function blocks(buf: Buffer): string {
  let out = ''; let start = 0; const B = 2048;
  for (let b = 0; b < buf.length; b += B) {
    const end = Math.min(b + B, buf.length);
    if (b < start) { if (end <= start) continue; }
    const from = Math.max(b, start);
    if (isAscii(buf.subarray(from, end))) continue;
    for (let i = from; i < end; i++) {
      if (buf[i]! < 0x80) continue;
      let j = i + 1; while (j < buf.length && buf[j]! >= 0x80) j++;
      out += buf.latin1Slice(start, i) + escapeRun(buf.latin1Slice(i, j));
      start = j; i = j - 1;
    }
  }
  return out + buf.latin1Slice(start, buf.length);
}
console.log(blocks(body) === parts(body));
t('blocks', () => blocks(body));
t('parse blocks', () => JSON.parse(blocks(body)));
const obj = JSON.parse(s1);
t('stringify', () => JSON.stringify(obj));
const out = JSON.stringify(obj);
t('encode utf8', () => Buffer.from(out, 'utf8'));
t('byteLength', () => Buffer.byteLength(out));
const asciiObj = JSON.parse(s1.replace(/[^\x00-\x7f]/g, '?'));
t('stringify ascii', () => JSON.stringify(asciiObj));
const outA = JSON.stringify(asciiObj);
t('encode ascii', () => Buffer.from(outA, 'utf8'));
