import { parseTlsParams, toDriverTls, type DatabaseTls, type DriverTls } from './database-tls.js';

/** Connection settings read from a `mysql://user:password@host:port/database?ssl-mode=…` URL. */
export interface DatabaseConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  /** Empty when the URL names only the server. */
  database: string;
  /** From the query's TLS parameters (database-tls.ts); undefined: plain TCP. */
  tls?: DatabaseTls;
  /** Lets MySQL 8's caching_sha2_password fetch the server's RSA key when there is no TLS. */
  allowPublicKeyRetrieval?: boolean;
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
  const { tls, allowPublicKeyRetrieval } = parseTlsParams(url.searchParams);
  return {
    // WHATWG URL keeps IPv6 brackets, which the driver does not accept.
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? 3306 : Number(url.port),
    user: safeDecode(url.username),
    password: safeDecode(url.password),
    database: safeDecode(url.pathname.replace(/^\//, '')),
    ...(tls && { tls }),
    ...(allowPublicKeyRetrieval && { allowPublicKeyRetrieval }),
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
  ssl?: DriverTls;
  allowPublicKeyRetrieval?: boolean;
}

/**
 * Driver settings for the `mariadb` package; the database is left out when the URL names none. Reads the TLS
 * files the URL names, so a missing CA fails here, at start.
 */
export function toDriverConfig(connection: DatabaseConnection): DriverSettings {
  const { host, port, user, password, database, tls, allowPublicKeyRetrieval } = connection;
  return {
    host,
    port,
    user,
    password,
    ...(database === '' ? {} : { database }),
    ...(tls && { ssl: toDriverTls(tls) }),
    ...(allowPublicKeyRetrieval && { allowPublicKeyRetrieval }),
  };
}

/**
 * Replaces the URL's password and TLS key passphrase (as written, decoded and re-encoded) in text that is about
 * to be printed.
 */
export function redactPassword(text: string, databaseUrl: string): string {
  let written: string[];
  try {
    const url = new URL(databaseUrl);
    const passphrase = /[?&]sslpassword=([^&#]*)/.exec(url.search)?.[1] ?? '';
    written = [url.password, passphrase].filter((secret) => secret !== '');
  } catch {
    return text;
  }
  if (written.length === 0) return text;
  const variants = written.flatMap((secret) => {
    const decoded = safeDecode(secret.replaceAll('+', ' '));
    return [secret, safeDecode(secret), decoded, encodeURIComponent(decoded)];
  });
  const secrets = [...new Set(variants)].sort((a, b) => b.length - a.length);
  return secrets.reduce((out, secret) => out.replaceAll(secret, '***'), text);
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
