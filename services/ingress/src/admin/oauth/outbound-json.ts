import { request, type Dispatcher } from 'undici';
import { AppError } from '@aigw/errors';

/** How the admin API reaches token endpoints and Cloud Code: through the egress policy, within a time limit. */
export interface Outbound {
  dispatcher: Dispatcher | undefined;
  timeoutMs: number;
}

/** One outbound call's answer: status and parsed JSON (undefined when the body is not JSON). */
export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** POSTs and reads a JSON answer; an unreachable endpoint is UPSTREAM_UNREACHABLE naming `what`, never the body or a secret. */
export async function postForJson(outbound: Outbound, what: string, url: string, headers: Record<string, string>, body: string): Promise<JsonAnswer> {
  let status: number;
  let text: string;
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { accept: 'application/json', ...headers },
      body,
      headersTimeout: outbound.timeoutMs,
      bodyTimeout: outbound.timeoutMs,
      signal: AbortSignal.timeout(outbound.timeoutMs),
      ...(outbound.dispatcher === undefined ? {} : { dispatcher: outbound.dispatcher }),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (error) {
    const { name, code, message } = error as { name?: string; code?: string; message?: string };
    const refused = code === 'EGRESS_REFUSED' ? ` (${message ?? 'egress refused'})` : '';
    throw new AppError('UPSTREAM_UNREACHABLE', `${what} is unreachable${refused}`, { cause: new Error([name, code].filter(Boolean).join(' ') || 'request failed') });
  }
  try {
    return { status, body: JSON.parse(text) as unknown };
  } catch {
    return { status, body: undefined };
  }
}

/** A JSON object's fields, or {} for anything else. */
export function fieldsOf(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** A non-empty string field, else undefined. */
export function textField(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
