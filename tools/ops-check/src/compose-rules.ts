import { entryOf, envNamesReadBy } from './env-reads.js';

// Rules for docker-compose.yml: the containers built from this repo run hardened like the Kubernetes pods,
// set only env names their process reads, have health checks, and start in the documented order.

export interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[] | string;
  environment?: Record<string, string | number | null> | string[];
  user?: string;
  read_only?: boolean;
  cap_drop?: string[];
  tmpfs?: string[] | string;
  /** `source:target[:mode]` strings, or objects in `docker-compose config` output. */
  volumes?: (string | { target?: string })[];
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  depends_on?: Record<string, { condition?: string }> | string[];
}

export interface ComposeFile {
  services?: Record<string, ComposeService>;
}

const BACKENDS = ['selector', 'auth', 'provider-call', 'logging'];

/** Problems with a parsed compose file (ideally `docker-compose config` output). */
export function checkCompose(compose: ComposeFile, repoRoot: string): string[] {
  const problems: string[] = [];
  const services = Object.entries(compose.services ?? {});
  const byImage = (prefix: string) => services.find(([, s]) => (s.image ?? '').startsWith(prefix))?.[0];
  const entries = new Map(services.map(([name, s]) => [name, entryOf(commandLine(s))]));
  const migrate = [...entries].find(([, entry]) => entry?.endsWith('migrate-main.ts'))?.[0];
  if (migrate === undefined) problems.push('no service runs the migrator (libs/db/dist/migrate-main.js)');
  problems.push(...checkMysqlAuth(services));

  for (const [name, service] of services) {
    if (service.build === undefined) continue;
    const where = `compose service ${name}`;
    const user = service.user ?? '';
    if (user === '' || user === 'root' || user === '0' || user.startsWith('0:')) problems.push(`${where}: runs as root (set user)`);
    if (service.read_only !== true) problems.push(`${where}: read_only is not true`);
    if (!(service.cap_drop ?? []).includes('ALL')) problems.push(`${where}: cap_drop does not include ALL`);
    if (!toList(service.tmpfs).some((t) => t.split(':')[0] === '/tmp')) problems.push(`${where}: no tmpfs on /tmp`);
    const oneShot = service.restart === 'no';
    if (!oneShot && (service.healthcheck?.test === undefined || service.healthcheck.disable === true)) problems.push(`${where}: no healthcheck`);

    const entry = entries.get(name);
    const reads = entry === undefined ? undefined : envNamesReadBy(repoRoot, entry);
    if (entry === undefined) problems.push(`${where}: no .ts entry in command`);
    else if (reads === undefined) problems.push(`${where}: runs ${entry}, which does not exist`);
    else for (const env of envNames(service.environment)) if (!reads.has(env)) problems.push(`${where}: env ${env} is not read by ${entry}`);
    if (reads?.has('LOG_OUTBOX_DIR')) problems.push(...checkOutbox(service, where));

    if (entry?.startsWith('services/')) {
      const needs: [string | undefined, string][] = [
        [migrate, 'service_completed_successfully'],
        [byImage('redis'), 'service_healthy'],
        [byImage('nats'), 'service_healthy'],
        ...(name === 'ingress' ? BACKENDS.map((b): [string, string] => [b, 'service_healthy']) : []),
      ];
      for (const [dependency, condition] of needs) {
        if (dependency !== undefined && conditionOf(service, dependency) !== condition) {
          problems.push(`${where}: does not wait for ${dependency} (${condition})`);
        }
      }
    }
  }
  return problems;
}

function commandLine(service: ComposeService): string[] {
  return typeof service.command === 'string' ? service.command.split(/\s+/) : (service.command ?? []);
}

const toList = (value: string[] | string | undefined): string[] => (typeof value === 'string' ? [value] : (value ?? []));

function envNames(environment: ComposeService['environment']): string[] {
  if (environment === undefined) return [];
  return Array.isArray(environment) ? environment.map((pair) => pair.split('=')[0] ?? '') : Object.keys(environment);
}

function conditionOf(service: ComposeService, dependency: string): string | undefined {
  const dependsOn = service.depends_on;
  if (Array.isArray(dependsOn)) return dependsOn.includes(dependency) ? 'service_started' : undefined;
  return dependsOn?.[dependency]?.condition;
}

/** The request-log outbox (LOG_OUTBOX_DIR) must be a volume, or a restarted container would not find it. */
function checkOutbox(service: ComposeService, where: string): string[] {
  const environment = service.environment;
  const dir = Array.isArray(environment)
    ? environment.find((line) => line.startsWith('LOG_OUTBOX_DIR='))?.slice('LOG_OUTBOX_DIR='.length)
    : environment?.['LOG_OUTBOX_DIR'];
  if (!dir) return [`${where}: LOG_OUTBOX_DIR not set (the request-log outbox must outlive the container)`];
  const targets = (service.volumes ?? []).map((volume) => (typeof volume === 'string' ? volume.split(':')[1] : volume.target));
  if (!targets.some((target) => target !== undefined && (dir === target || String(dir).startsWith(`${target}/`)))) {
    return [`${where}: LOG_OUTBOX_DIR ${String(dir)} is not on a volume`];
  }
  return [];
}

/**
 * MySQL 8 runs on its default authentication (caching_sha2_password): the server is not forced back to
 * mysql_native_password, and every DATABASE_URL pointing at it says how the driver completes that login after a
 * restart (TLS, or `allowPublicKeyRetrieval=true`): without either it fails whenever the server's cache is cold.
 */
function checkMysqlAuth(services: [string, ComposeService][]): string[] {
  const mysql = services.find(([, s]) => /^mysql:/.test(s.image ?? ''))?.[0];
  if (mysql === undefined) return [];
  const problems: string[] = [];
  const server = services.find(([name]) => name === mysql)?.[1];
  if (commandLine(server ?? {}).some((arg) => /native.password|default-authentication-plugin/.test(arg))) {
    problems.push(`compose service ${mysql}: forces mysql_native_password (MySQL 8 default authentication expected)`);
  }
  for (const [name, service] of services) {
    const environment = service.environment;
    const url = Array.isArray(environment)
      ? environment.find((line) => line.startsWith('DATABASE_URL='))?.slice('DATABASE_URL='.length)
      : environment?.['DATABASE_URL'];
    if (typeof url !== 'string' || !url.includes(`@${mysql}:`)) continue;
    const query = new URLSearchParams(url.split('?')[1] ?? '');
    const tls = /^(REQUIRED|VERIFY_CA|VERIFY_IDENTITY)$/i.test(query.get('sslmode') ?? query.get('ssl-mode') ?? '') || query.get('ssl') === 'true';
    if (!tls && query.get('allowPublicKeyRetrieval') !== 'true') {
      problems.push(`compose service ${name}: DATABASE_URL to ${mysql} has neither TLS (sslmode=REQUIRED) nor allowPublicKeyRetrieval=true`);
    }
  }
  return problems;
}
