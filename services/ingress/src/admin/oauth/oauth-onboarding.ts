import type { LoginClients } from './login-clients.js';
import type { LoginStore } from './login-store.js';
import type { Outbound } from './outbound-json.js';

/** What OAuth onboarding needs beside the admin API's own deps; main.ts builds it from the settings. */
export interface OAuthOnboarding {
  logins: LoginStore;
  /** OAUTH_LOGIN_CLIENTS over the real clients' defaults. */
  clients: LoginClients;
  /** OAUTH_LOGIN_TTL_S in ms: how long a started login may be completed. */
  loginTtlMs: number;
  /** Token endpoints and Cloud Code, through the egress policy. */
  outbound: Outbound;
  /** Between Cloud Code onboardUser checks (OAUTH_ONBOARD_POLL_MS). */
  onboardPollMs: number;
  now?: () => number;
}
