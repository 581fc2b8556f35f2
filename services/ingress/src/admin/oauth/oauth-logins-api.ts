import { Router, type Response } from 'express';
import { AppError } from '@aigw/errors';
import { z } from '@aigw/config';
import { findAccount, presentAccount } from '../accounts-api.js';
import type { AdminDeps } from '../admin-deps.js';
import { resourceDocs } from '../openapi/route-docs.js';
import { providerRefFields, resolveProviderId } from '../provider-ref.js';
import { LOGIN_KINDS } from './login-clients.js';
import { completeLogin, presentLogin, startLogin } from './login-flow.js';
import { parsePastedCode } from './pasted-code.js';

const startSchema = z.strictObject({
  ...providerRefFields,
  /** Defaults to the provider's kind. */
  kind: z.enum(LOGIN_KINDS).optional(),
  label: z.string().trim().min(1).max(128).optional(),
  /** The new account's egress, as in POST /accounts (default pool). */
  egress: z.enum(['pool', 'direct']).optional(),
  /** Where the provider sends the browser back; default: the login client's (the real client's registered URI). */
  redirectUri: z.url({ protocol: /^https?$/ }).max(512).optional(),
});

const completeSchema = z
  .strictObject({
    /** The whole URL the browser was sent back to (the address bar of the page that failed to load). */
    redirectUrl: z.string().max(8192).optional(),
    /** The code alone, or Anthropic's `code#state`. */
    code: z.string().max(8192).optional(),
    state: z.string().max(512).optional(),
  })
  .refine((body) => body.redirectUrl !== undefined || body.code !== undefined, { message: 'redirectUrl or code is required', path: ['redirectUrl'] });

const callbackQuery = z.object({ code: z.string().optional(), state: z.string().optional(), error: z.string().optional() });

const loginIdParam = (value: string | undefined): string => {
  if (value === undefined || !/^[A-Za-z0-9_-]{1,64}$/.test(value)) throw new AppError('NOT_FOUND', 'no such login');
  return value;
};

/** What the operator pasted, as code and state; a 400 naming the field when it holds none. */
function pastedOf(body: z.infer<typeof completeSchema>): { code: string; state: string | undefined } {
  const pasted = parsePastedCode(body.redirectUrl ?? body.code ?? '');
  if ('error' in pasted) throw new AppError('INVALID_REQUEST', pasted.error, { details: { param: body.redirectUrl !== undefined ? 'redirectUrl' : 'code' } });
  return { code: pasted.code, state: body.state ?? pasted.state };
}

/** /oauth/logins: subscription logins (authorization code + PKCE) that end as live accounts. */
export function oauthLoginsApi(deps: AdminDeps): Router {
  const router = Router();
  const now = () => (deps.oauth.now ?? Date.now)();

  router.post('/', async (req, res) => {
    const body = startSchema.parse(req.body);
    const providerId = await resolveProviderId(deps.prisma, body);
    const login = await startLogin(deps, { providerId, kind: body.kind, label: body.label, redirectUri: body.redirectUri, egress: body.egress });
    res.status(201).json(presentLogin(login, now()));
  });

  router.get('/:id', async (req, res) => {
    const login = await deps.oauth.logins.get(loginIdParam(req.params.id));
    if (login === undefined) throw new AppError('NOT_FOUND', 'no such login (or it ended over an hour ago)');
    res.json(presentLogin(login, now()));
  });

  router.post('/:id/complete', async (req, res) => {
    const body = completeSchema.parse(req.body);
    const { login, created } = await completeLogin(deps, loginIdParam(req.params.id), pastedOf(body));
    const account = presentAccount(await findAccount(deps.prisma, login.accountId ?? 0));
    res.json({ ...presentLogin(login, now()), accountCreated: created, account });
  });

  return router;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: Response, status: number, title: string, message: string): void {
  res
    .status(status)
    .set({ 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'", 'referrer-policy': 'no-referrer' })
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p></body></html>`);
}

/** /oauth/callback: the gateway as the redirect URI (public: the provider sends the browser, which has no admin token). */
export function oauthCallbackApi(deps: AdminDeps): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const query = callbackQuery.safeParse(req.query);
    const { code, state, error } = query.success ? query.data : {};
    if (error !== undefined) return page(res, 400, 'Login not completed', `The provider answered ${/^[a-z_]{1,64}$/.test(error) ? error : 'an error'}. Start a new login.`);
    if (!code || !state) return page(res, 400, 'Login not completed', 'The callback carries no code or no state.');
    const id = await deps.oauth.logins.idForState(state);
    if (id === undefined) return page(res, 400, 'Login not completed', 'No pending login has this state: it expired, was completed already, or belongs elsewhere.');
    try {
      const { login } = await completeLogin(deps, id, { code, state });
      const account = await findAccount(deps.prisma, login.accountId ?? 0);
      page(res, 200, 'Account added', `The account "${account.label}" (id ${account.id}) of provider ${account.provider.name} is live. You can close this page.`);
    } catch (thrown) {
      if (!(thrown instanceof AppError) || thrown.code === 'INTERNAL') throw thrown;
      page(res, thrown.httpStatus, 'Login not completed', thrown.message);
    }
  });
  return router;
}

/** The routes above, for the OpenAPI document (admin-openapi.ts). */
export const oauthLoginsDocs = resourceDocs('oauth', [
  { method: 'post', path: '/', summary: 'Start an OAuth login (authorization code + PKCE); answers the URL to open', body: startSchema, status: 201 },
  { method: 'get', path: '/:id', summary: 'A login and its status (pending, completed, failed, expired)' },
  { method: 'post', path: '/:id/complete', summary: 'Complete a login with the pasted redirect URL, code or code#state', body: completeSchema },
]);

export const oauthCallbackDocs = resourceDocs('oauth', [
  { method: 'get', path: '/', summary: 'OAuth redirect target: completes the login its state names; answers an HTML page', query: callbackQuery, public: true },
]);
