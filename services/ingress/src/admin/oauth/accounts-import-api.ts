import { Router } from 'express';
import { AppError } from '@aigw/errors';
import { z } from '@aigw/config';
import type { AdminDeps } from '../admin-deps.js';
import { resourceDocs } from '../openapi/route-docs.js';
import { providerRefFields, resolveProviderId } from '../provider-ref.js';
import { discoverProject, MAX_ONBOARD_POLLS } from './code-assist-project.js';
import { detectCredentialFile, type CredentialFileFormat, type FileCredential } from './credential-files.js';
import { createOAuthAccount, findSameOAuthAccount, type OnboardedAccount } from './oauth-account-store.js';
import { refreshForImport } from './token-exchange.js';

const importSchema = z.strictObject({
  ...providerRefFields,
  /** The new accounts' egress, as in POST /accounts (default pool). */
  egress: z.enum(['pool', 'direct']).optional(),
  files: z
    .array(z.strictObject({ name: z.string().trim().min(1).max(256), content: z.string().max(256 * 1024) }))
    .min(1)
    .max(100),
});

interface ImportResult {
  name: string;
  status: 'imported' | 'skipped' | 'failed';
  format: CredentialFileFormat | null;
  accountId: number | null;
  label: string | null;
  message: string | null;
}

/** The account a file makes under the provider; antigravity files without a project get theirs from Cloud Code. */
async function accountOf(deps: AdminDeps, provider: { id: number; baseUrl: string }, name: string, file: FileCredential, egress: 'pool' | 'direct' | undefined): Promise<OnboardedAccount> {
  const client = deps.oauth.clients[file.client];
  let credential = {
    clientId: file.clientId ?? client.clientId,
    clientSecret: file.clientId !== undefined ? file.clientSecret : client.clientSecret,
    refreshToken: file.refreshToken,
    tokenUrl: file.tokenUrl ?? client.tokenUrl,
    tokenRequestFormat: client.tokenRequestFormat === 'json' ? ('json' as const) : undefined,
    accessToken: file.accessToken !== undefined && file.expiresAt !== undefined ? file.accessToken : undefined,
    expiresAt: file.accessToken !== undefined ? file.expiresAt : undefined,
  };
  const settings: Record<string, string> = {};
  if (file.email !== undefined) settings['email'] = file.email;
  if (file.chatgptAccountId !== undefined) settings['chatgptAccountId'] = file.chatgptAccountId;
  if (file.kind === 'antigravity') {
    let project = file.project;
    if (project === undefined) {
      const stillValid = credential.accessToken !== undefined && (credential.expiresAt ?? 0) > Date.now() + 60_000;
      if (!stillValid) credential = { ...credential, ...(await refreshForImport(deps.oauth.outbound, credential)) };
      project = await discoverProject({ outbound: deps.oauth.outbound, pollMs: deps.oauth.onboardPollMs, maxPolls: MAX_ONBOARD_POLLS }, provider.baseUrl, credential.accessToken ?? '');
    }
    settings['project'] = project;
  }
  return { providerId: provider.id, label: file.email ?? name.replace(/\.json$/i, ''), credential, settings, egress };
}

async function importOne(
  deps: AdminDeps,
  provider: { id: number; name: string; kind: string; baseUrl: string },
  file: { name: string; content: string },
  egress: 'pool' | 'direct' | undefined,
): Promise<ImportResult> {
  const result = (status: ImportResult['status'], format: CredentialFileFormat | null, message: string | null, accountId: number | null = null, label: string | null = null): ImportResult => ({
    name: file.name,
    status,
    format,
    accountId,
    label,
    message,
  });
  const detected = detectCredentialFile(file.content);
  if (!detected.ok) return result('failed', detected.format, detected.message);
  const { credential } = detected;
  if (credential.kind !== provider.kind) {
    return result('failed', credential.format, `a ${credential.format} file holds a ${credential.kind} login; provider ${provider.name} is of kind ${provider.kind}`);
  }
  const same = await findSameOAuthAccount(deps, provider.id, { refreshToken: credential.refreshToken, email: credential.email });
  if (same !== undefined) return result('skipped', credential.format, `already present as account ${same}`, same);
  try {
    const account = await accountOf(deps, provider, file.name, credential, egress);
    const id = await createOAuthAccount(deps, account);
    return result('imported', credential.format, null, id, account.label.slice(0, 128));
  } catch (error) {
    // AppErrors and validation errors name no secret; anything else is the operator's 500 to see in the logs.
    if (error instanceof AppError && error.code !== 'INTERNAL') return result('failed', credential.format, error.message);
    if (error instanceof z.ZodError) return result('failed', credential.format, error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    throw error;
  }
}

/** /accounts/import: credential files exported by Gemini CLI, Claude Code, Codex and CLIProxyAPI, one result per file. */
export function accountsImportApi(deps: AdminDeps): Router {
  const router = Router();
  router.post('/', async (req, res) => {
    const body = importSchema.parse(req.body);
    const providerId = await resolveProviderId(deps.prisma, body);
    const provider = await deps.prisma.provider.findUniqueOrThrow({ where: { id: providerId }, select: { id: true, name: true, kind: true, baseUrl: true } });
    const results: ImportResult[] = [];
    // One at a time: two files of the same account then dedupe against each other.
    for (const file of body.files) results.push(await importOne(deps, provider, file, body.egress));
    res.json({ results });
  });
  return router;
}

export const accountsImportDocs = resourceDocs('accounts', [
  { method: 'post', path: '/', summary: 'Import OAuth credential files (Gemini CLI, Claude Code, Codex, CLIProxyAPI); one result per file', body: importSchema },
]);
