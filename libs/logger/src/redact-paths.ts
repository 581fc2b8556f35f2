/** Field names that hold credentials anywhere in a log object; redacted at the top level and one level down. */
const SECRET_FIELDS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'x-goog-api-key',
  'apiKey',
  'api_key',
  'key',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'idToken',
  'id_token',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'headerValue',
  'header_value',
  'authData',
  'auth_data',
  'proxyUrl',
  'proxy_url',
  'databaseUrl',
  'DATABASE_URL',
  'encryptionKey',
  'cookie',
];

const asPath = (field: string) => (/^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`);
const join = (prefix: string, field: string) => (asPath(field).startsWith('[') ? `${prefix}${asPath(field)}` : `${prefix}.${field}`);

/** pino redact paths: every secret field at the top level, one level down, and in request headers. */
export const REDACT_PATHS: string[] = SECRET_FIELDS.flatMap((field) => [
  asPath(field),
  join('*', field),
  join('req.headers', field),
  join('headers', field),
]);
