import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl, redactPassword, toDriverConfig } from './database-url.js';

const dir = mkdtempSync(join(tmpdir(), 'aigw-db-tls-'));
const pem = (name: string) => {
  const path = join(dir, name);
  writeFileSync(path, `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`);
  return path;
};
const CA = pem('ca.pem');
const CERT = pem('client-cert.pem');
const KEY = pem('client-key.pem');

const driver = (query: string) => toDriverConfig(parseDatabaseUrl(`mysql://app:pw@db.example.com:3306/aigw?${query}`));

describe('DATABASE_URL TLS options → mariadb driver ssl', () => {
  it('uses plain TCP without TLS parameters, or when TLS is disabled', () => {
    for (const query of ['', 'connection_limit=5', 'ssl=false', 'sslmode=DISABLED', 'ssl-mode=disabled']) {
      expect(driver(query)).not.toHaveProperty('ssl');
    }
  });

  it('encrypts without checking the certificate for REQUIRED and sslaccept=accept_invalid_certs', () => {
    for (const query of ['sslmode=REQUIRED', 'ssl-mode=required', 'ssl=true&sslaccept=accept_invalid_certs']) {
      expect(driver(query).ssl).toEqual({ rejectUnauthorized: false });
    }
  });

  it('verifies chain and host name for ssl=true, sslaccept=strict and VERIFY_IDENTITY', () => {
    for (const query of ['ssl=true', 'ssl=1', 'sslaccept=strict', 'sslmode=VERIFY_IDENTITY']) {
      const ssl = driver(query).ssl;
      expect(ssl).toEqual({ rejectUnauthorized: true });
      expect(ssl).not.toHaveProperty('checkServerIdentity');
    }
  });

  it('checks the chain but not the host name for VERIFY_CA', () => {
    const ssl = driver(`ssl-mode=VERIFY_CA&ssl-ca=${CA}`).ssl;
    expect(ssl?.rejectUnauthorized).toBe(true);
    expect(ssl?.checkServerIdentity?.()).toBeUndefined();
    expect(ssl?.ca?.toString()).toContain('ca.pem');
  });

  it('reads the CA and the client certificate and key (MySQL and Prisma names), and turns TLS on for them', () => {
    const mysqlNames = driver(`ssl-ca=${CA}&ssl-cert=${CERT}&ssl-key=${KEY}`).ssl;
    const prismaNames = driver(`sslcert=${CA}&sslclientcert=${CERT}&sslkey=${KEY}`).ssl;
    for (const ssl of [mysqlNames, prismaNames]) {
      expect(ssl?.rejectUnauthorized).toBe(true);
      expect(ssl?.ca?.toString()).toContain('ca.pem');
      expect(ssl?.cert?.toString()).toContain('client-cert.pem');
      expect(ssl?.key?.toString()).toContain('client-key.pem');
    }
  });

  it('passes a PKCS#12 identity with its passphrase, and keeps the passphrase out of printed text', () => {
    const url = `mysql://app:pw@db/aigw?ssl=true&sslidentity=${CERT}&sslpassword=p%40ss`;
    const ssl = toDriverConfig(parseDatabaseUrl(url)).ssl;
    expect(ssl?.pfx?.toString()).toContain('client-cert.pem');
    expect(ssl?.passphrase).toBe('p@ss');
    expect(redactPassword(`connect ${url} failed (p@ss)`, url)).not.toMatch(/p%40ss|p@ss/);
  });

  it('fails at start, naming the file, when a TLS file cannot be read', () => {
    expect(() => driver(`ssl-ca=${join(dir, 'missing.pem')}`)).toThrow(`cannot read the CA file ${join(dir, 'missing.pem')} (ENOENT)`);
  });

  it('refuses PREFERRED, unknown modes, unknown ssl parameters and bad flags, never echoing the URL', () => {
    const cases: Array<[string, RegExp]> = [
      ['sslmode=PREFERRED', /PREFERRED is not supported/],
      ['sslmode=ON', /ssl-mode must be/],
      ['sslaccept=yes', /sslaccept must be/],
      ['ssl=maybe', /ssl must be true or false/],
      ['sslrootcert=/x', /unknown TLS parameter sslrootcert/],
    ];
    for (const [query, message] of cases) {
      expect(() => driver(query)).toThrow(message);
      try {
        driver(query);
      } catch (error) {
        expect((error as Error).message).not.toContain('app:pw');
      }
    }
  });
});

describe('caching_sha2_password without TLS', () => {
  it('lets the driver fetch the server RSA key only when the URL allows it', () => {
    expect(driver('')).not.toHaveProperty('allowPublicKeyRetrieval');
    expect(driver('allowPublicKeyRetrieval=true').allowPublicKeyRetrieval).toBe(true);
    expect(driver('allowPublicKeyRetrieval=false')).not.toHaveProperty('allowPublicKeyRetrieval');
  });
});
