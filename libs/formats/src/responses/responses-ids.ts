import { randomBytes } from 'node:crypto';

// Ids of the Responses API objects the gateway makes. OpenAI's are a type prefix and 48 hex digits
// (`resp_68a1…`, `msg_…`, `fc_…`, `rs_…`); clients treat them as opaque, so ours look the same.

/** Prefixes of the Responses objects the gateway names. */
export type ResponsesIdPrefix = 'resp' | 'msg' | 'fc' | 'ctc' | 'rs';

/** A new id of an object of the Responses API, e.g. `newResponsesId('resp')` for a response. */
export function newResponsesId(prefix: ResponsesIdPrefix): string {
  return `${prefix}_${randomBytes(24).toString('hex')}`;
}

/** True for an id the gateway could have given a response (what `previous_response_id` and the store take). */
export function isResponseId(id: string): boolean {
  return /^resp_[A-Za-z0-9_-]{1,120}$/.test(id);
}
