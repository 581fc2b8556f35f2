/** Connection settings read from a `mysql://user:password@host:port/database` URL. */
export interface DatabaseConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Empty when the URL names only the server. */
  database: string;
}

const PROTOCOLS = new Set(['mysql:', 'mariadb:']);

/** Parses a MySQL/MariaDB URL; error messages never echo the URL, which may hold a password. */
export function parseDatabaseUrl(databaseUrl: string): DatabaseConnection {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL (expected mysql://user:password@host:port/database)');
  }
  if (!PROTOCOLS.has(url.protocol)) {
    throw new Error(`DATABASE_URL must start with mysql:// or mariadb://, not ${url.protocol}//`);
  }
  if (url.hostname === '') throw new Error('DATABASE_URL has no host');
  return {
    // WHATWG URL keeps IPv6 brackets, which the driver does not accept.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 3306 : Number(url.port),
    user: safeDecode(url.username),
    password: safeDecode(url.password),
    database: safeDecode(url.pathname.replace(/^\//, '')),
  };
}

/** The same URL pointing at another database on the same server. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** `user@host:port/database`, safe for logs and error messages. */
export function describeConnection(connection: DatabaseConnection): string {
  const user = connection.user === '' ? '' : `${connection.user}@`;
  return `${user}${connection.host}:${connection.port}/${connection.database}`;
}

/** The subset of `mariadb` driver settings a URL gives; plain, so any version of the driver's types accepts it. */
export interface DriverSettings {
  host: string;
  port: number;
  user: string;
  password: string;
  database?: string;
}

/** Driver settings for the `mariadb` package; the database is left out when the URL names none. */
export function toDriverConfig(connection: DatabaseConnection): DriverSettings {
  const { host, port, user, password, database } = connection;
  return { host, port, user, password, ...(database === '' ? {} : { database }) };
}

/** Replaces the URL's password (as written, decoded and re-encoded) in text that is about to be printed. */
export function redactPassword(text: string, databaseUrl: string): string {
  let written: string;
  try {
    written = new URL(databaseUrl).password;
  } catch {
    return text;
  }
  if (written === '') return text;
  const decoded = safeDecode(written);
  const secrets = [...new Set([written, decoded, encodeURIComponent(decoded)])].sort((a, b) => b.length - a.length);
  return secrets.reduce((out, secret) => out.replaceAll(secret, '***'), text);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
