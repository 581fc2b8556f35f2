import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from '../http/read-body.js';
import { closeServer, listen, tuneForKeepAlive } from '../http/server-lifecycle.js';
import { AuthorizationCodes, unsignedIdToken } from './authorization-codes.js';
import { TokenStore } from './token-store.js';

// An OAuth 2.0 token endpoint (RFC 6749 §6, refresh_token grant) shaped like Google's:
//   POST /token  application/x-www-form-urlencoded
//     grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…
//     (client credentials may come as HTTP Basic instead, RFC 6749 §2.3.1)
//   → {access_token, expires_in, token_type:"Bearer", refresh_token (rotated), scope}
//   GET  /authorize?client_id&redirect_uri&response_type=code&scope&state&code_challenge&code_challenge_method
//     the user's consent: with `Accept: text/html` a page whose <a id="approve"> leads to
//     redirect_uri?code=…&state=…; otherwise a 302 straight there (a consenting browser)
//   POST /token  grant_type=authorization_code&code&redirect_uri&client_id[&client_secret]&code_verifier
//     (a form, or a JSON body as Claude Code sends) → the tokens above plus an id_token (unsigned JWT with
//     email and ChatGPT account id) and Anthropic's {account:{uuid, email_address}}; a wrong verifier is
//     invalid_grant, as Google answers. Tokens issued without a client_secret refresh without one.
//   GET  /_emu/stats    {refreshes, rejected, byClientId:{id:{refreshes, rejected}}}
//   POST /_emu/reset    same as reset()
//   POST /_emu/config   {"expiresInSeconds": n}, same as setExpiresIn(n);
//                       {"failure": {"clientId": "…", "mode": "hang" | "error" | null}}, same as setFailure()

const SCOPE = 'https://www.googleapis.com/auth/cloud-platform https://www.googleapis.com/auth/userinfo.email';
const DEFAULT_EXPIRES_IN = 3600;

export interface OAuthEmulatorOptions {
  host?: string;
  port?: number;
  /** Lifetime of issued access tokens; default 3600. */
  expiresInSeconds?: number;
  /** Wait before answering each token request (to widen refresh races). */
  delayMs?: number;
}

export interface OAuthEmulator {
  /** The token endpoint, e.g. http://127.0.0.1:PORT/token */
  url: string;
  /** The authorization endpoint, e.g. http://127.0.0.1:PORT/authorize */
  authorizeUrl: string;
  close(): Promise<void>;
  /** Accepted refresh grants, all clients. */
  refreshCount(): number;
  refreshCountFor(clientId: string): number;
  /** Whether an access token was issued here and has not expired; pass as validateBearer. */
  isValidAccessToken(token: string): boolean;
  /** Lifetime of access tokens issued from now on. */
  setExpiresIn(seconds: number): void;
  /**
   * Makes the token requests of one client fail: `hang` never answers them (until the client gives up), `error`
   * answers 500; undefined makes them work again. Counted as `failed`.
   */
  setFailure(clientId: string, mode: TokenFailureMode | undefined): void;
  /** Token requests of the client that setFailure made fail. */
  failedCountFor(clientId: string): number;
  /** Forgets every token, count and failure, and restores the starting lifetime. */
  reset(): void;
}

export type TokenFailureMode = 'hang' | 'error';

interface ClientCounts {
  refreshes: number;
  rejected: number;
  failed: number;
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(body);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** client_id / client_secret from HTTP Basic, when the client authenticates that way. */
function basicClient(req: IncomingMessage): { id: string; secret: string } | undefined {
  const auth = req.headers.authorization;
  if (auth === undefined || !/^basic /i.test(auth)) return undefined;
  const decoded = Buffer.from(auth.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

/** Starts the OAuth token endpoint emulator. */
export async function startOAuthEmulator(opts: OAuthEmulatorOptions = {}): Promise<OAuthEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const initialExpiresIn = opts.expiresInSeconds ?? DEFAULT_EXPIRES_IN;
  let expiresIn = initialExpiresIn;
  const store = new TokenStore();
  const codes = new AuthorizationCodes();
  const counts = new Map<string, ClientCounts>();
  const failures = new Map<string, TokenFailureMode>();
  let total: ClientCounts = { refreshes: 0, rejected: 0, failed: 0 };

  function countFor(clientId: string): ClientCounts {
    let c = counts.get(clientId);
    if (c === undefined) counts.set(clientId, (c = { refreshes: 0, rejected: 0, failed: 0 }));
    return c;
  }

  function setFailure(clientId: string, mode: TokenFailureMode | undefined): void {
    if (mode === undefined) failures.delete(clientId);
    else failures.set(clientId, mode);
  }

  /** The request's parameters: a JSON body (Claude Code) or a form (everyone else). */
  async function params(req: IncomingMessage): Promise<URLSearchParams> {
    const text = (await readBody(req, 64 * 1024)).toString('utf8');
    if (!/json/i.test(req.headers['content-type'] ?? '')) return new URLSearchParams(text);
    const fields = JSON.parse(text) as Record<string, unknown>;
    return new URLSearchParams(Object.entries(fields).filter(([, v]) => typeof v === 'string' || typeof v === 'number').map(([k, v]): [string, string] => [k, String(v)]));
  }

  function authorize(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const query = new URL(req.url ?? '/', 'http://emulator').searchParams;
    const clientId = query.get('client_id');
    const redirectUri = query.get('redirect_uri');
    if (!clientId || !redirectUri || query.get('response_type') !== 'code') {
      return sendJson(res, 400, { error: 'invalid_request', error_description: 'client_id, redirect_uri and response_type=code are required' });
    }
    const method = query.get('code_challenge_method') ?? undefined;
    if (method !== undefined && method !== 'S256' && method !== 'plain') {
      return sendJson(res, 400, { error: 'invalid_request', error_description: `Invalid code_challenge_method: ${method}` });
    }
    const challenge = query.get('code_challenge') ?? undefined;
    const loginHint = query.get('login_hint') ?? undefined;
    const { code } = codes.issue({ clientId, redirectUri, scope: query.get('scope') ?? '', ...(challenge ? { challenge } : {}), ...(method ? { method } : {}), ...(loginHint ? { loginHint } : {}) });
    const target = new URL(redirectUri);
    target.searchParams.set('code', code);
    const state = query.get('state');
    if (state !== null) target.searchParams.set('state', state);
    if (/text\/html/.test(req.headers.accept ?? '')) {
      const href = escapeHtml(target.toString());
      const page = `<!doctype html><html><head><meta charset="utf-8"><title>Sign in (emulated)</title></head><body><h1>Allow access?</h1><p>Client ${escapeHtml(clientId)} asks for: ${escapeHtml(query.get('scope') ?? '')}</p><a id="approve" href="${href}">Allow</a></body></html>`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(page), 'cache-control': 'no-store' });
      return void res.end(page);
    }
    res.writeHead(302, { location: target.toString(), 'content-length': 0 });
    res.end();
  }

  function codeGrant(form: URLSearchParams, clientId: string, clientSecret: string | undefined, res: ServerResponse): void {
    const code = form.get('code');
    if (!code) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Missing required parameter: code' });
    const outcome = codes.redeem(code, clientId, form.get('redirect_uri'), form.get('code_verifier'));
    if (!outcome.ok) {
      total.rejected++;
      countFor(clientId).rejected++;
      return sendJson(res, 400, { error: outcome.error, error_description: outcome.description });
    }
    const issued = store.issue(clientId, expiresIn, clientSecret === undefined);
    sendJson(res, 200, {
      access_token: issued.accessToken,
      expires_in: issued.expiresIn,
      token_type: 'Bearer',
      refresh_token: issued.refreshToken,
      scope: outcome.scope || SCOPE,
      id_token: unsignedIdToken(`http://${host}`, clientId, outcome.user, Date.now()),
      account: { uuid: outcome.user.accountId, email_address: outcome.user.email },
    });
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await params(req);
    if (opts.delayMs !== undefined && opts.delayMs > 0) await sleep(opts.delayMs);
    const basic = basicClient(req);
    const grantType = form.get('grant_type');
    const refreshToken = form.get('refresh_token');
    const clientId = form.get('client_id') ?? basic?.id;
    const clientSecret = form.get('client_secret') ?? basic?.secret;
    if (grantType === 'authorization_code') {
      if (!clientId) return sendJson(res, 400, { error: 'invalid_request', error_description: 'Missing required parameter: client_id' });
      return codeGrant(form, clientId, clientSecret ?? undefined, res);
    }
    // A public client (PKCE, no secret) refreshes without a secret, as Claude Code and Codex do.
    const secretNeeded = !(refreshToken && store.isPublicClientToken(refreshToken));
    const missing = [
      grantType ? undefined : 'grant_type',
      refreshToken ? undefined : 'refresh_token',
      clientId ? undefined : 'client_id',
      clientSecret || !secretNeeded ? undefined : 'client_secret',
    ].filter((name) => name !== undefined);
    if (grantType && grantType !== 'refresh_token') {
      return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `Invalid grant_type: ${grantType}` });
    }
    if (missing.length > 0 || !refreshToken || !clientId) {
      return sendJson(res, 400, { error: 'invalid_request', error_description: `Missing required parameter: ${missing.join(', ')}` });
    }
    const failure = failures.get(clientId);
    if (failure !== undefined) {
      total.failed++;
      countFor(clientId).failed++;
      // A hung endpoint: the request is read and never answered; the socket closes when the client gives up.
      if (failure === 'hang') return;
      return sendJson(res, 500, { error: 'internal_failure', error_description: 'token endpoint failure (emulated)' });
    }
    const outcome = store.refresh(refreshToken, clientId, expiresIn);
    if (!outcome.ok) {
      total.rejected++;
      countFor(clientId).rejected++;
      return sendJson(res, 400, { error: outcome.error, error_description: outcome.description });
    }
    total.refreshes++;
    countFor(clientId).refreshes++;
    sendJson(res, 200, {
      access_token: outcome.accessToken,
      expires_in: outcome.expiresIn,
      token_type: 'Bearer',
      refresh_token: outcome.refreshToken,
      scope: SCOPE,
    });
  }

  function reset(): void {
    store.clear();
    codes.clear();
    counts.clear();
    failures.clear();
    total = { refreshes: 0, rejected: 0, failed: 0 };
    expiresIn = initialExpiresIn;
  }

  function setExpiresIn(seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) throw new RangeError('expires_in must be a non-negative number');
    expiresIn = seconds;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = (req.url ?? '/').split('?', 1)[0];
    const route = `${req.method ?? ''} ${pathname ?? ''}`;
    if (route === 'POST /token') return token(req, res);
    if (route === 'GET /authorize') return authorize(req, res);
    if (route === 'GET /_emu/stats') {
      return sendJson(res, 200, { ...total, byClientId: Object.fromEntries(counts) });
    }
    if (route === 'POST /_emu/reset') {
      req.resume();
      reset();
      return sendJson(res, 200, { ok: true });
    }
    if (route === 'POST /_emu/config') {
      const config = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8')) as {
        expiresInSeconds?: unknown;
        failure?: { clientId?: unknown; mode?: unknown };
      };
      if (typeof config.expiresInSeconds === 'number') setExpiresIn(config.expiresInSeconds);
      const { clientId, mode } = config.failure ?? {};
      if (typeof clientId === 'string') setFailure(clientId, mode === 'hang' || mode === 'error' ? mode : undefined);
      return sendJson(res, 200, { expiresInSeconds: expiresIn });
    }
    req.resume();
    sendJson(res, 404, { error: 'not_found', error_description: `No route for ${route}` });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return void res.destroy();
      sendJson(res, 400, { error: 'invalid_request', error_description: err instanceof Error ? err.message : 'bad request' });
    });
  });
  tuneForKeepAlive(server);
  const port = await listen(server, host, opts.port ?? 0);

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/token`,
    authorizeUrl: `http://${host.includes(':') ? `[${host}]` : host}:${port}/authorize`,
    close: () => closeServer(server),
    refreshCount: () => total.refreshes,
    refreshCountFor: (clientId) => counts.get(clientId)?.refreshes ?? 0,
    isValidAccessToken: (token) => store.isValidAccessToken(token),
    setExpiresIn,
    setFailure,
    failedCountFor: (clientId) => counts.get(clientId)?.failed ?? 0,
    reset,
  };
}
