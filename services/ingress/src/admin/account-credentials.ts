import { z } from '@aigw/config';

export const AUTH_TYPES = ['api_key', 'bearer', 'oauth'] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

const secret = z.string().min(1).max(8192);

/** The decrypted auth_data JSON of each auth type (the contract auth reads). */
const CREDENTIAL_SCHEMAS = {
  api_key: z.strictObject({ apiKey: secret }),
  bearer: z.strictObject({ token: secret }),
  oauth: z.strictObject({
    clientId: z.string().min(1).max(512),
    /** Absent for public clients (PKCE logins: Claude Code, Codex). */
    clientSecret: secret.optional(),
    refreshToken: secret,
    /** Anthropic's token endpoint takes the refresh grant as JSON. */
    tokenRequestFormat: z.enum(['form', 'json']).optional(),
    tokenUrl: z.url({ protocol: /^https?$/ }).max(512),
    accessToken: secret.optional(),
    expiresAt: z.number().int().nonnegative().optional(),
  }),
} satisfies Record<AuthType, z.ZodType>;

/** Validates credentials for `authType`; ZodError paths are prefixed with `credentials`. */
export function parseCredentials(authType: AuthType, credentials: unknown): Record<string, unknown> {
  const result = CREDENTIAL_SCHEMAS[authType].safeParse(credentials);
  if (result.success) return result.data;
  throw new z.ZodError(result.error.issues.map((issue) => ({ ...issue, path: ['credentials', ...issue.path] })));
}
