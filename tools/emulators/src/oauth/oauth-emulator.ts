import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { readBody } from '../http/read-body.js';
import { closeServer, listen, tuneForKeepAlive } from '../http/server-lifecycle.js';
import { TokenStore } from './token-store.js';

// An OAuth 2.0 token endpoint (RFC 6749 §6, refresh_token grant) shaped like Google's:
//   POST /token  application/x-www-form-urlencoded
//     grant_type=refresh_token&refresh_token=…&client_id=…&client_secret=…
//     (client credentials may come as HTTP Basic instead, RFC 6749 §2.3.1)
//   → {access_token, expires_in, token_type:"Bearer", refresh_token (rotated), scope}
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

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req, 64 * 1024)).toString('utf8'));
    if (opts.delayMs !== undefined && opts.delayMs > 0) await sleep(opts.delayMs);
    const basic = basicClient(req);
    const grantType = form.get('grant_type');
    const refreshToken = form.get('refresh_token');
    const clientId = form.get('client_id') ?? basic?.id;
    const clientSecret = form.get('client_secret') ?? basic?.secret;
    const missing = [
      grantType ? undefined : 'grant_type',
      refreshToken ? undefined : 'refresh_token',
      clientId ? undefined : 'client_id',
      clientSecret ? undefined : 'client_secret',
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
