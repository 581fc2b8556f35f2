// Client headers that change what an upstream does. Ingress collects only the names listed here (so no other
// client header, credential or hop-by-hop header can ever leave the gateway); provider-call decides per call
// whether the upstream takes each one, and names the rest in x-aigw-dropped as `header:<name>`.
//
// A header belongs to one client protocol. It is forwarded only when the client spoke that protocol AND the
// upstream speaks it too (the pass-through case): its meaning is defined against a body in that protocol,
// which a translated body no longer is. "Same kind" is the upstream's wire format, not its provider name: an
// OpenAI-compatible upstream (GLM, DeepSeek, vLLM) shares OpenAI's protocol, and such servers ignore headers
// they do not know, as HTTP servers must.

/** The client protocols, as ingress names them. */
export type HeaderProtocol = 'openai' | 'anthropic' | 'gemini';

/**
 * What happens to a header when the call cannot carry it to the upstream:
 * - `report`: named in x-aigw-dropped;
 * - `consumed`: the gateway itself honours it while translating (Anthropic's API version: the gateway reads
 *   the body as that version), so nothing is lost and nothing is reported.
 */
export type WhenNotForwarded = 'report' | 'consumed';

export interface ClientHeaderRule {
  /** Lower-case, as node hands header names. */
  readonly name: string;
  readonly protocol: HeaderProtocol;
  /** False for headers that are the account's business (its billing organisation or project): always reported. */
  readonly forward: boolean;
  readonly whenNotForwarded: WhenNotForwarded;
  /**
   * For a comma-separated list header: the values the gateway honours itself when translating (nothing is lost
   * with them, so a value made only of these is not reported).
   */
  readonly consumedValues?: ReadonlySet<string>;
}

/** The allow-list. Adding a header is one row; nothing else changes. */
export const CLIENT_HEADER_RULES: readonly ClientHeaderRule[] = [
  // Anthropic: opt-in beta features (comma-separated list) and the API version the body is written for.
  // The structured-outputs beta only unlocks `output_format`, which the translation carries to every provider.
  { name: 'anthropic-beta', protocol: 'anthropic', forward: true, whenNotForwarded: 'report', consumedValues: new Set(['structured-outputs-2025-11-13']) },
  { name: 'anthropic-version', protocol: 'anthropic', forward: true, whenNotForwarded: 'consumed' },
  // OpenAI: beta API versions (e.g. assistants=v2). Organisation and project pick whose quota and bill a
  // call goes to, which the account's key decides, so they are reported, never sent.
  { name: 'openai-beta', protocol: 'openai', forward: true, whenNotForwarded: 'report' },
  { name: 'openai-organization', protocol: 'openai', forward: false, whenNotForwarded: 'report' },
  { name: 'openai-project', protocol: 'openai', forward: false, whenNotForwarded: 'report' },
  // Google's API system parameters that change a call: the quota project (the account's business), a
  // response field mask and an API version (both would change the answer the gateway must read back).
  // The Gemini API has no behaviour-changing header of its own: its options travel in the body.
  { name: 'x-goog-user-project', protocol: 'gemini', forward: false, whenNotForwarded: 'report' },
  { name: 'x-goog-fieldmask', protocol: 'gemini', forward: false, whenNotForwarded: 'report' },
  { name: 'x-goog-api-version', protocol: 'gemini', forward: false, whenNotForwarded: 'report' },
];
