import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from 'nats';

/** Credentials and TLS for NATS (the NATS_* settings of @aigw/config's commonFields); empty strings mean unset. */
export interface BusAccess {
  user?: string;
  password?: string;
  token?: string;
  /** An NKEY user seed (`SU…`). */
  nkeySeed?: string;
  /** A decentralised-auth `.creds` file (user JWT + NKEY seed), as `nsc` writes it. */
  credsFile?: string;
  /** TLS even for `nats://` URLs; a `tls://` URL always uses TLS. */
  tls?: boolean;
  /** PEM files: the CA that signed the server's certificate (default: Node's CAs), and a client certificate and key. */
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

/** The commonFields settings connectBus' access options come from. */
export interface BusAccessConfig {
  NATS_USER: string;
  NATS_PASSWORD: string;
  NATS_TOKEN: string;
  NATS_NKEY_SEED: string;
  NATS_CREDS_FILE: string;
  NATS_TLS: boolean;
  NATS_TLS_CA_FILE: string;
  NATS_TLS_CERT_FILE: string;
  NATS_TLS_KEY_FILE: string;
}

/** connectBus' `access` argument from a service's loaded config. */
export function busAccess(config: BusAccessConfig): BusAccess {
  return {
    user: config.NATS_USER,
    password: config.NATS_PASSWORD,
    token: config.NATS_TOKEN,
    nkeySeed: config.NATS_NKEY_SEED,
    credsFile: config.NATS_CREDS_FILE,
    tls: config.NATS_TLS,
    caFile: config.NATS_TLS_CA_FILE,
    certFile: config.NATS_TLS_CERT_FILE,
    keyFile: config.NATS_TLS_KEY_FILE,
  };
}

/**
 * The nats.js connection options for `access`: one kind of credentials (more is a configuration error, since the
 * server would see only one) and TLS when asked for by a `tls://` server, NATS_TLS or a TLS file. Files are read
 * here, so a missing one fails at start with its path (never its content).
 */
export function busConnectionOptions(
  servers: readonly string[],
  access: BusAccess = {},
  readFile: (path: string) => Buffer = readFileSync,
): Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator' | 'tls'> {
  const kinds = [
    access.user || access.password ? 'NATS_USER/NATS_PASSWORD' : '',
    access.token ? 'NATS_TOKEN' : '',
    access.nkeySeed ? 'NATS_NKEY_SEED' : '',
    access.credsFile ? 'NATS_CREDS_FILE' : '',
  ].filter(Boolean);
  if (kinds.length > 1) throw new Error(`NATS credentials: give one of ${kinds.join(', ')}, not several`);
  if (access.password && !access.user) throw new Error('NATS credentials: NATS_PASSWORD needs NATS_USER');

  const options: Pick<ConnectionOptions, 'user' | 'pass' | 'token' | 'authenticator' | 'tls'> = {};
  if (access.user) Object.assign(options, { user: access.user, pass: access.password ?? '' });
  if (access.token) options.token = access.token;
  if (access.nkeySeed) options.authenticator = nkeyAuthenticator(new TextEncoder().encode(access.nkeySeed.trim()));
  if (access.credsFile) options.authenticator = credsAuthenticator(read(readFile, 'NATS_CREDS_FILE', access.credsFile));

  const files = { caFile: access.caFile, certFile: access.certFile, keyFile: access.keyFile };
  const wantsTls = access.tls === true || servers.some((server) => server.trim().startsWith('tls://')) || Object.values(files).some(Boolean);
  if (wantsTls) {
    // PEM contents rather than paths: read (and checked) once here, the same way as the creds file.
    const tls: NonNullable<ConnectionOptions['tls']> = {};
    if (files.caFile) tls.ca = read(readFile, 'NATS_TLS_CA_FILE', files.caFile).toString();
    if (files.certFile) tls.cert = read(readFile, 'NATS_TLS_CERT_FILE', files.certFile).toString();
    if (files.keyFile) tls.key = read(readFile, 'NATS_TLS_KEY_FILE', files.keyFile).toString();
    options.tls = tls;
  }
  return options;
}

function read(readFile: (path: string) => Buffer, name: string, path: string): Buffer {
  try {
    return readFile(path);
  } catch (error) {
    throw new Error(`${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}
