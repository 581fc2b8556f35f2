import { identityClaims } from './id-token.js';
import type { LoginClients, LoginKind } from './login-clients.js';
import { fieldsOf, textField } from './outbound-json.js';

/** The credential file formats the popular tools write. */
export const CREDENTIAL_FILE_FORMATS = [
  'gemini-cli', // ~/.gemini/oauth_creds.json
  'claude-code', // ~/.claude/.credentials.json
  'codex', // ~/.codex/auth.json
  'cliproxyapi-gemini', // CLIProxyAPI auth files, by their `type`
  'cliproxyapi-antigravity',
  'cliproxyapi-claude',
  'cliproxyapi-codex',
] as const;
export type CredentialFileFormat = (typeof CREDENTIAL_FILE_FORMATS)[number];

/** What a credential file holds, whatever its format. */
export interface FileCredential {
  format: CredentialFileFormat;
  /** The provider kind whose accounts these tokens serve. */
  kind: LoginKind;
  /** The login client that issued the tokens (a refresh must name the same client). */
  client: keyof LoginClients;
  refreshToken: string;
  accessToken: string | undefined;
  /** Unix ms. */
  expiresAt: number | undefined;
  email: string | undefined;
  project: string | undefined;
  chatgptAccountId: string | undefined;
  /** A client the file names itself (CLIProxyAPI's gemini files carry theirs). */
  clientId: string | undefined;
  clientSecret: string | undefined;
  tokenUrl: string | undefined;
}

export type DetectedFile = { ok: true; credential: FileCredential } | { ok: false; format: CredentialFileFormat | null; message: string };

/** Unix ms from epoch ms, epoch seconds or an ISO-8601 / RFC 3339 string. */
function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e12 ? value * 1000 : value;
  if (typeof value === 'string' && value !== '') {
    const parsed = Date.parse(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function credential(format: CredentialFileFormat, kind: LoginKind, client: keyof LoginClients, fields: Record<string, unknown>, extra: Partial<FileCredential>): DetectedFile {
  const refreshToken = extra.refreshToken ?? textField(fields, 'refresh_token');
  if (refreshToken === undefined) return { ok: false, format, message: 'the file holds no refresh token' };
  const claims = identityClaims(textField(fields, 'id_token'));
  return {
    ok: true,
    credential: {
      format,
      kind,
      client,
      refreshToken,
      accessToken: extra.accessToken ?? textField(fields, 'access_token'),
      expiresAt: extra.expiresAt,
      email: extra.email ?? textField(fields, 'email') ?? claims.email,
      project: extra.project ?? textField(fields, 'project_id'),
      chatgptAccountId: extra.chatgptAccountId ?? claims.chatgptAccountId,
      clientId: extra.clientId,
      clientSecret: extra.clientSecret,
      tokenUrl: extra.tokenUrl,
    },
  };
}

/** A CLIProxyAPI auth file, by its `type`. */
function cliProxyApiFile(type: string, fields: Record<string, unknown>): DetectedFile {
  switch (type) {
    case 'gemini': {
      // Gemini CLI logins: the oauth2 token nested under `token`, the project beside it.
      const token = fieldsOf(fields['token']);
      return credential('cliproxyapi-gemini', 'antigravity', 'geminiCli', token, {
        expiresAt: timeOf(token['expiry']),
        email: textField(fields, 'email'),
        project: textField(fields, 'project_id'),
        clientId: textField(token, 'client_id'),
        clientSecret: textField(token, 'client_secret'),
        tokenUrl: textField(token, 'token_uri'),
      });
    }
    case 'antigravity': {
      const issuedAt = timeOf(fields['timestamp']);
      const expiresIn = typeof fields['expires_in'] === 'number' ? fields['expires_in'] : undefined;
      const expiresAt = timeOf(fields['expired']) ?? (issuedAt !== undefined && expiresIn !== undefined ? issuedAt + expiresIn * 1000 : undefined);
      return credential('cliproxyapi-antigravity', 'antigravity', 'antigravity', fields, { expiresAt });
    }
    case 'claude':
      return credential('cliproxyapi-claude', 'anthropic', 'anthropic', fields, { expiresAt: timeOf(fields['expired']) });
    case 'codex':
      return credential('cliproxyapi-codex', 'openai', 'openai', fields, { expiresAt: timeOf(fields['expired']), chatgptAccountId: textField(fields, 'account_id') });
    default:
      return { ok: false, format: null, message: `a CLIProxyAPI file of type "${type.slice(0, 32)}" cannot be imported (gemini, antigravity, claude, codex can)` };
  }
}

/** Recognises a credential file by its fields and reads its tokens; never echoes a value in a message. */
export function detectCredentialFile(content: string): DetectedFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    return { ok: false, format: null, message: 'the file is not JSON' };
  }
  const fields = fieldsOf(parsed);
  const type = textField(fields, 'type');
  if (type !== undefined) return cliProxyApiFile(type, fields);
  const claude = fieldsOf(fields['claudeAiOauth']);
  if (Object.keys(claude).length > 0) {
    return credential('claude-code', 'anthropic', 'anthropic', {}, {
      refreshToken: textField(claude, 'refreshToken'),
      accessToken: textField(claude, 'accessToken'),
      expiresAt: timeOf(claude['expiresAt']),
    });
  }
  const tokens = fieldsOf(fields['tokens']);
  if (Object.keys(tokens).length > 0) {
    return credential('codex', 'openai', 'openai', tokens, { chatgptAccountId: textField(tokens, 'account_id') ?? identityClaims(textField(tokens, 'id_token')).chatgptAccountId });
  }
  if (textField(fields, 'refresh_token') !== undefined || textField(fields, 'access_token') !== undefined) {
    return credential('gemini-cli', 'antigravity', 'geminiCli', fields, { expiresAt: timeOf(fields['expiry_date']) });
  }
  return { ok: false, format: null, message: `not a known credential file (${CREDENTIAL_FILE_FORMATS.join(', ')})` };
}
