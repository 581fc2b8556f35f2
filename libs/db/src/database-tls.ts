import { readFileSync } from 'node:fs';

// TLS and authentication options written in DATABASE_URL's query, the names MySQL clients and Prisma use:
//   ssl-mode / sslmode   DISABLED | REQUIRED (encrypt, trust any certificate) | VERIFY_CA (check the chain, not
//                        the host name) | VERIFY_IDENTITY (chain and host name). PREFERRED is refused: the
//                        driver cannot fall back to plain text, and silently doing so would defeat the setting.
//   ssl=true|false       TLS with full verification (VERIFY_IDENTITY), unless sslaccept or sslmode say otherwise
//   sslaccept            strict (VERIFY_IDENTITY) | accept_invalid_certs (REQUIRED), as Prisma's URLs write it
//   ssl-ca / sslca / sslcert          PEM file of the CA that signed the server's certificate (Prisma's
//                                     `sslcert` is this file; MySQL's `ssl-cert` is the client's certificate)
//   ssl-cert / sslclientcert, ssl-key / sslkey   PEM client certificate and key (mutual TLS)
//   sslidentity + sslpassword         PKCS#12 client identity and its passphrase (Prisma)
//   allowPublicKeyRetrieval=true      without TLS, lets a caching_sha2_password / sha256_password login fetch
//                                     the server's RSA key (MySQL 8's default authentication); TLS needs no key

/** How the connection is encrypted and what of the server's certificate is checked. */
export type DatabaseTlsMode = 'REQUIRED' | 'VERIFY_CA' | 'VERIFY_IDENTITY';

export interface DatabaseTls {
  mode: DatabaseTlsMode;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  pfxFile?: string;
  passphrase?: string;
}

export interface DatabaseUrlOptions {
  /** Undefined: plain TCP. */
  tls?: DatabaseTls;
  allowPublicKeyRetrieval: boolean;
}

const MODES = new Set(['DISABLED', 'PREFERRED', 'REQUIRED', 'VERIFY_CA', 'VERIFY_IDENTITY']);
const FILE_PARAMS: Record<string, 'caFile' | 'certFile' | 'keyFile' | 'pfxFile'> = {
  'ssl-ca': 'caFile',
  sslca: 'caFile',
  sslcert: 'caFile',
  'ssl-cert': 'certFile',
  sslclientcert: 'certFile',
  'ssl-key': 'keyFile',
  sslkey: 'keyFile',
  sslidentity: 'pfxFile',
};
/** Query parameters that are not about TLS and that the driver settings ignore (Prisma's pool options, …). */
const OTHER_SSL_PARAMS = new Set(['sslpassword', 'sslaccept', 'sslmode', 'ssl-mode', 'ssl']);

/** Reads the TLS options of DATABASE_URL's query; errors name the parameter, never the URL. */
export function parseTlsParams(params: URLSearchParams): DatabaseUrlOptions {
  const get = (...names: string[]) => {
    for (const name of names) {
      const value = params.get(name);
      if (value !== null) return value;
    }
    return undefined;
  };
  for (const name of params.keys()) {
    if (/^ssl/i.test(name) && !(name in FILE_PARAMS) && !OTHER_SSL_PARAMS.has(name)) {
      throw new Error(`DATABASE_URL: unknown TLS parameter ${name}`);
    }
  }
  const files: Omit<DatabaseTls, 'mode'> = {};
  for (const [name, field] of Object.entries(FILE_PARAMS)) {
    const value = params.get(name);
    if (value !== null && value !== '') files[field] = value;
  }
  const passphrase = get('sslpassword');
  if (passphrase !== undefined) files.passphrase = passphrase;

  const mode = tlsMode(get('ssl-mode', 'sslmode'), get('ssl'), get('sslaccept'), Object.keys(files).length > 0);
  const allowPublicKeyRetrieval = parseFlag('allowPublicKeyRetrieval', params.get('allowPublicKeyRetrieval') ?? 'false');
  if (mode === undefined) return { allowPublicKeyRetrieval };
  return { tls: { mode, ...files }, allowPublicKeyRetrieval };
}

function tlsMode(
  sslMode: string | undefined,
  ssl: string | undefined,
  sslAccept: string | undefined,
  hasFiles: boolean,
): DatabaseTlsMode | undefined {
  if (sslAccept !== undefined && sslAccept !== 'strict' && sslAccept !== 'accept_invalid_certs') {
    throw new Error('DATABASE_URL: sslaccept must be strict or accept_invalid_certs');
  }
  if (sslMode !== undefined) {
    const mode = sslMode.toUpperCase();
    if (!MODES.has(mode)) throw new Error('DATABASE_URL: ssl-mode must be DISABLED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY');
    if (mode === 'PREFERRED') {
      throw new Error('DATABASE_URL: ssl-mode PREFERRED is not supported (the driver cannot fall back); use REQUIRED or DISABLED');
    }
    if (mode === 'DISABLED') return undefined;
    return mode as DatabaseTlsMode;
  }
  const enabled = ssl === undefined ? hasFiles || sslAccept !== undefined : parseFlag('ssl', ssl);
  if (!enabled) return undefined;
  return sslAccept === 'accept_invalid_certs' ? 'REQUIRED' : 'VERIFY_IDENTITY';
}

function parseFlag(name: string, value: string): boolean {
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
  throw new Error(`DATABASE_URL: ${name} must be true or false`);
}

/** The `ssl` setting of the mariadb driver: file contents read now, so a missing file fails at start. */
export interface DriverTls {
  rejectUnauthorized: boolean;
  checkServerIdentity?: () => undefined;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  pfx?: Buffer;
  passphrase?: string;
}

/** Driver TLS settings for `tls`; `readFile` is injectable for tests. */
export function toDriverTls(tls: DatabaseTls, readFile: (path: string) => Buffer = readFileSync): DriverTls {
  const read = (param: string, path: string | undefined): Buffer | undefined => {
    if (path === undefined) return undefined;
    try {
      return readFile(path);
    } catch (error) {
      throw new Error(`DATABASE_URL: cannot read the ${param} file ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
  };
  const out: DriverTls = { rejectUnauthorized: tls.mode !== 'REQUIRED' };
  // VERIFY_CA: the chain must lead to the CA, whatever name the certificate carries (MySQL's meaning).
  if (tls.mode === 'VERIFY_CA') out.checkServerIdentity = () => undefined;
  const ca = read('CA', tls.caFile);
  const cert = read('client certificate', tls.certFile);
  const key = read('client key', tls.keyFile);
  const pfx = read('identity', tls.pfxFile);
  return {
    ...out,
    ...(ca && { ca }),
    ...(cert && { cert }),
    ...(key && { key }),
    ...(pfx && { pfx }),
    ...(tls.passphrase !== undefined && { passphrase: tls.passphrase }),
  };
}
