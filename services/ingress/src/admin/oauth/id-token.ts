import { fieldsOf, textField } from './outbound-json.js';

/** What the gateway reads from an id_token: who logged in and, for ChatGPT logins, which account. */
export interface IdentityClaims {
  email: string | undefined;
  chatgptAccountId: string | undefined;
  chatgptPlanType: string | undefined;
}

/**
 * The claims of a JWT, without checking its signature: it came straight from the token endpoint over TLS
 * (OpenID Connect Core §3.1.3.7 allows that), and only names the account, never grants anything.
 */
export function identityClaims(idToken: string | undefined): IdentityClaims {
  const none = { email: undefined, chatgptAccountId: undefined, chatgptPlanType: undefined };
  const payload = idToken?.split('.')[1];
  if (payload === undefined) return none;
  let claims: Record<string, unknown>;
  try {
    claims = fieldsOf(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return none;
  }
  const openai = fieldsOf(claims['https://api.openai.com/auth']);
  return { email: textField(claims, 'email'), chatgptAccountId: textField(openai, 'chatgpt_account_id'), chatgptPlanType: textField(openai, 'chatgpt_plan_type') };
}
