import { randomFillSync } from 'node:crypto';

// Ids of the Responses API objects the gateway makes. OpenAI's are a type prefix and 48 hex digits
// (`resp_68a1…`, `msg_…`, `fc_…`, `rs_…`); clients treat them as opaque, so ours look the same.

/** Prefixes of the Responses objects the gateway names. */
export type ResponsesIdPrefix = 'resp' | 'msg' | 'fc' | 'ctc' | 'rs';

/** A new id of an object of the Responses API, e.g. `newResponsesId('resp')` for a response. */
export function newResponsesId(prefix: ResponsesIdPrefix): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const hex = pool.toString('hex', used, used + ID_BYTES);
  used += ID_BYTES;
  return `${prefix}_${hex}`;
}

// randomBytes(24) per id costs ≈ 1.7 µs, a draw from a pool filled once per 128 ids ≈ 0.1 µs (what Node's
// randomUUID and ingress's request ids do too). A Responses stream names several objects.
const ID_BYTES = 24;
const pool = Buffer.alloc(ID_BYTES * 128);
let used = pool.length;

/** True for an id the gateway could have given a response (what `previous_response_id` and the store take). */
export function isResponseId(id: string): boolean {
  return /^resp_[A-Za-z0-9_-]{1,120}$/.test(id);
}
