import {
  startForwardProxy,
  startOAuthEmulator,
  startUpstreamEmulator,
  type ForwardProxy,
  type OAuthEmulator,
  type UpstreamEmulator,
  type UpstreamEmulatorOptions,
} from '@aigw/emulators';

/** The in-process stand-ins for the outside world: an LLM upstream, a token endpoint and two proxies. */
export interface EmulatorSet {
  upstream: UpstreamEmulator;
  oauth: OAuthEmulator;
  /** Forward proxies, named `proxy-1`, `proxy-2`; their URLs carry Basic credentials. */
  proxies: ForwardProxy[];
  close(): Promise<void>;
}

export interface EmulatorSetOptions {
  host?: string;
  /** 0 picks free ports. */
  upstreamPort?: number;
  oauthPort?: number;
  proxyPorts?: number[];
  proxyUsername?: string;
  proxyPassword: string;
  oauthExpiresInSeconds?: number;
  /** Steering applied to every upstream request (e.g. `{ delayMs: 350 }` for the benchmark). */
  upstreamDefaults?: UpstreamEmulatorOptions['defaults'];
  /** The upstream answers like a provider's per-account prompt cache (off by default: usage stays exact). */
  upstreamPromptCache?: boolean;
}

/** Starts the emulators; the upstream accepts only access tokens the OAuth emulator issued. */
export async function startEmulators(options: EmulatorSetOptions): Promise<EmulatorSet> {
  const host = options.host ?? '127.0.0.1';
  const started: { close(): Promise<void> }[] = [];
  const closeAll = async () => {
    await Promise.allSettled(started.map((emulator) => emulator.close()));
  };
  try {
    const oauth = await startOAuthEmulator({
      host,
      port: options.oauthPort ?? 0,
      ...(options.oauthExpiresInSeconds === undefined ? {} : { expiresInSeconds: options.oauthExpiresInSeconds }),
    });
    started.push(oauth);
    const upstream = await startUpstreamEmulator({
      host,
      port: options.upstreamPort ?? 0,
      validateBearer: (token) => oauth.isValidAccessToken(token),
      ...(options.upstreamDefaults === undefined ? {} : { defaults: options.upstreamDefaults }),
      ...(options.upstreamPromptCache === true ? { promptCache: true } : {}),
    });
    started.push(upstream);
    const proxies: ForwardProxy[] = [];
    for (const [i, port] of (options.proxyPorts ?? [0, 0]).entries()) {
      const proxy = await startForwardProxy({
        name: `proxy-${i + 1}`,
        host,
        port,
        username: options.proxyUsername ?? 'demo',
        password: options.proxyPassword,
      });
      started.push(proxy);
      proxies.push(proxy);
    }
    return { upstream, oauth, proxies, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/**
 * OAUTH_LOGIN_CLIENTS for ingress: every login kind against the OAuth emulator, with the real clients' redirect
 * URIs (the emulator redirects anywhere; a browser then shows the URL to paste back).
 */
export function emulatorLoginClients(oauth: OAuthEmulator): string {
  const common = { authorizeUrl: oauth.authorizeUrl, tokenUrl: oauth.url };
  return JSON.stringify({
    antigravity: { ...common, clientId: 'emu-antigravity-login', clientSecret: 'emu-installed-app-secret', scopes: ['https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/userinfo.email'], redirectUri: 'http://localhost:51121/oauth-callback' },
    anthropic: { ...common, clientId: 'emu-claude-code', scopes: ['org:create_api_key', 'user:profile', 'user:inference'], redirectUri: 'https://console.anthropic.com/oauth/code/callback', tokenRequestFormat: 'json' },
    openai: { ...common, clientId: 'emu-codex-cli', scopes: ['openid', 'profile', 'email', 'offline_access'], redirectUri: 'http://localhost:1455/auth/callback' },
    geminiCli: { ...common, clientId: 'emu-gemini-cli', clientSecret: 'emu-installed-app-secret', scopes: ['https://www.googleapis.com/auth/cloud-platform'], redirectUri: 'http://localhost:8085/oauth2callback' },
  });
}
