import { z } from '@aigw/config';

/** The subscription logins the gateway can run, each named for the provider kind its accounts serve. */
export const LOGIN_KINDS = ['antigravity', 'anthropic', 'openai'] as const;
export type LoginKind = (typeof LOGIN_KINDS)[number];

const clientSchema = z.strictObject({
  clientId: z.string().min(1),
  /** Installed-app secrets (Google's) are public; PKCE clients (Claude Code, Codex) have none. */
  clientSecret: z.string().min(1).optional(),
  authorizeUrl: z.url({ protocol: /^https?$/ }),
  tokenUrl: z.url({ protocol: /^https?$/ }),
  scopes: z.array(z.string().min(1)).min(1),
  /** Where the provider sends the browser back by default (the real clients' registered URIs). */
  redirectUri: z.url({ protocol: /^https?$/ }),
  /** Token endpoints that take JSON instead of a form (Anthropic's). */
  tokenRequestFormat: z.enum(['form', 'json']).default('form'),
});
export type LoginClient = z.infer<typeof clientSchema>;

/** OAUTH_LOGIN_CLIENTS: an entry replaces the default client of its kind whole. `geminiCli` refreshes imported Gemini CLI files. */
export const loginClientsSchema = z.strictObject({
  antigravity: clientSchema.optional(),
  anthropic: clientSchema.optional(),
  openai: clientSchema.optional(),
  geminiCli: clientSchema.optional(),
});
export type LoginClients = Record<LoginKind | 'geminiCli', LoginClient>;

const GOOGLE_AUTHORIZE = 'https://accounts.google.com/o/oauth2/v2/auth';
const GOOGLE_TOKEN = 'https://oauth2.googleapis.com/token';

// The public clients of the open-source tools (Antigravity as CLIProxyAPI logs in, Claude Code, Codex CLI,
// Gemini CLI): their ids and installed-app secrets are published in those tools' source.
export const DEFAULT_LOGIN_CLIENTS: LoginClients = {
  antigravity: {
    clientId: '1071006060591-tmhssin2h21lcre235vtolojh4g403ep.apps.googleusercontent.com',
    clientSecret: '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',
    authorizeUrl: GOOGLE_AUTHORIZE,
    tokenUrl: GOOGLE_TOKEN,
    scopes: [
      'https://www.googleapis.com/auth/cloud-platform',
      'https://www.googleapis.com/auth/userinfo.email',
      'https://www.googleapis.com/auth/userinfo.profile',
      'https://www.googleapis.com/auth/cclog',
      'https://www.googleapis.com/auth/experimentsandconfigs',
    ],
    redirectUri: 'http://localhost:51121/oauth-callback',
    tokenRequestFormat: 'form',
  },
  anthropic: {
    clientId: '9d1c250a-e61b-44d9-88ed-5944d1962f5e',
    authorizeUrl: 'https://claude.ai/oauth/authorize',
    tokenUrl: 'https://console.anthropic.com/v1/oauth/token',
    scopes: ['org:create_api_key', 'user:profile', 'user:inference'],
    redirectUri: 'https://console.anthropic.com/oauth/code/callback',
    tokenRequestFormat: 'json',
  },
  openai: {
    clientId: 'app_EMoamEEZ73f0CkXaXp7hrann',
    authorizeUrl: 'https://auth.openai.com/oauth/authorize',
    tokenUrl: 'https://auth.openai.com/oauth/token',
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    redirectUri: 'http://localhost:1455/auth/callback',
    tokenRequestFormat: 'form',
  },
  geminiCli: {
    clientId: '681255809395-oo8ft2oprdrnp9e3aqf6av3hmdib135j.apps.googleusercontent.com',
    clientSecret: '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',
    authorizeUrl: GOOGLE_AUTHORIZE,
    tokenUrl: GOOGLE_TOKEN,
    scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email', 'https://www.googleapis.com/auth/userinfo.profile'],
    redirectUri: 'http://localhost:8085/oauth2callback',
    tokenRequestFormat: 'form',
  },
};

/** The login clients from OAUTH_LOGIN_CLIENTS (JSON; '' = the defaults); throws naming the bad field. */
export function parseLoginClients(json: string): LoginClients {
  if (json.trim() === '') return DEFAULT_LOGIN_CLIENTS;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('OAUTH_LOGIN_CLIENTS is not valid JSON');
  }
  const parsed = loginClientsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`OAUTH_LOGIN_CLIENTS.${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
  }
  return { ...DEFAULT_LOGIN_CLIENTS, ...Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) };
}

/** Parameters the real clients add to the authorization URL, by kind. */
const EXTRA_PARAMS: Record<LoginKind, Record<string, string>> = {
  // Google issues a refresh token only for offline access, and again only when consent is shown.
  antigravity: { access_type: 'offline', prompt: 'consent' },
  // (Claude Code's `code=true`, which makes the callback page show `code#state` to copy, leads the URL: see below.)
  anthropic: {},
  // Codex CLI's: organisations in the id_token, the simplified consent, who is asking.
  openai: { id_token_add_organizations: 'true', codex_cli_simplified_flow: 'true', originator: 'codex_cli_rs' },
};

/** The URL the operator opens to consent: authorization code flow with PKCE (S256). */
export function authorizationUrl(kind: LoginKind, client: LoginClient, login: { state: string; challenge: string; redirectUri: string }): string {
  const url = new URL(client.authorizeUrl);
  if (kind === 'anthropic') url.searchParams.set('code', 'true');
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', login.redirectUri);
  url.searchParams.set('scope', client.scopes.join(' '));
  url.searchParams.set('code_challenge', login.challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', login.state);
  for (const [name, value] of Object.entries(EXTRA_PARAMS[kind])) url.searchParams.set(name, value);
  return url.toString();
}
