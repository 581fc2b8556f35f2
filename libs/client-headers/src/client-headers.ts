import { CLIENT_HEADER_RULES, type ClientHeaderRule, type HeaderProtocol } from './client-header-rules.js';

/** One header (name lower-case), as InvokeRequest.client_headers carries it. */
export interface ClientHeader {
  name: string;
  value: string;
}

const RULES: ReadonlyMap<string, ClientHeaderRule> = new Map(CLIENT_HEADER_RULES.map((rule) => [rule.name, rule]));
const NAMES: readonly string[] = CLIENT_HEADER_RULES.map((rule) => rule.name);

/**
 * Never sent upstream from a client, whatever the table says: credentials, hop-by-hop headers and what the
 * gateway sets itself. Checked again in provider-call, so a wrong table row cannot leak a secret.
 */
const NEVER: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'cookie',
  'set-cookie',
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-type',
  'content-length',
  'content-encoding',
  'accept',
  'accept-encoding',
]);

/** Longest value carried; longer ones are reported, not cut (a cut beta list would mean something else). */
const MAX_VALUE_LENGTH = 4_096;
/** A value an HTTP client can send unchanged: visible ASCII, spaces and tabs (node has already refused CR/LF). */
const VALID_VALUE = /^[\t\x20-\x7e]*$/u;

/**
 * The allow-listed headers of a client request, in table order. Looks up only the listed names, so it costs
 * a few map reads whatever the client sent.
 */
export function collectClientHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): ClientHeader[] {
  const out: ClientHeader[] = [];
  for (const name of NAMES) {
    const value = headers[name];
    if (value === undefined) continue;
    // node joins repeats of unknown headers with ", " already; an array only comes from set-cookie-like names.
    out.push({ name, value: Array.isArray(value) ? value.join(', ') : value });
  }
  return out;
}

/** True when every value of a list header is one the gateway honours itself (see ClientHeaderRule.consumedValues). */
function onlyConsumedValues(rule: ClientHeaderRule, value: string): boolean {
  const consumed = rule.consumedValues;
  return consumed !== undefined && value.split(',').every((token) => consumed.has(token.trim()));
}

/** The client protocol an upstream wire format speaks (Cloud Code wraps Gemini's). */
export function protocolOfProviderKind(kind: string): HeaderProtocol | undefined {
  switch (kind) {
    case 'openai':
    case 'anthropic':
    case 'gemini':
      return kind;
    case 'antigravity':
      return 'gemini';
    default:
      return undefined;
  }
}

/** What one call does with the client's headers. */
export interface ClientHeaderPlan {
  /** Headers to add to the upstream request (never over one the gateway set). */
  forward: ClientHeader[];
  /** `header:<name>` entries for x-aigw-dropped. */
  dropped: string[];
}

/**
 * Which client headers go to this upstream: those on the list whose protocol is both the client's and the
 * upstream's, that the table lets through, that the gateway does not set itself (`protected` holds the
 * upstream request's own header names, lower-case), with a sendable value. The rest are reported (or, for
 * headers the gateway honours itself when translating, left out silently).
 */
export function planClientHeaders(
  headers: readonly ClientHeader[],
  clientProtocol: HeaderProtocol,
  providerKind: string,
  isProtected: (name: string) => boolean,
): ClientHeaderPlan {
  const plan: ClientHeaderPlan = { forward: [], dropped: [] };
  const upstreamProtocol = protocolOfProviderKind(providerKind);
  for (const header of headers) {
    const name = header.name.toLowerCase();
    const rule = RULES.get(name);
    // Not on the list: ingress never sends such a header; someone else did, and it goes nowhere.
    if (rule === undefined || NEVER.has(name)) continue;
    const sameProtocol = rule.protocol === clientProtocol && rule.protocol === upstreamProtocol;
    if (!sameProtocol && rule.protocol === clientProtocol && (rule.whenNotForwarded === 'consumed' || onlyConsumedValues(rule, header.value))) continue;
    const sendable = header.value.length <= MAX_VALUE_LENGTH && VALID_VALUE.test(header.value);
    if (rule.forward && sameProtocol && sendable && !isProtected(name)) plan.forward.push({ name, value: header.value });
    else if (!plan.dropped.includes(`header:${name}`)) plan.dropped.push(`header:${name}`);
  }
  return plan;
}
