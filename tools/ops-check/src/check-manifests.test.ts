import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDeployFiles, REPO_ROOT } from './check-manifests.js';
import { checkCompose, type ComposeFile } from './compose-rules.js';
import { checkBuild } from './k8s-rules.js';
import type { K8sObject } from './k8s-types.js';
import { checkLockSync } from './lock-sync.js';
import { parseYamlDocuments } from './yaml-documents.js';

// The rules are exercised on real manifests of one service, so that they break when the manifests do.
const BASE_FILES = ['config.yaml', 'secret.yaml', 'migrate-job.yaml', 'selector.yaml'];
const EXPECT = { autoscaled: [], networkPolicies: false };

function baseObjects(): K8sObject[] {
  const text = BASE_FILES.map((file) => readFileSync(join(REPO_ROOT, 'deploy/base', file), 'utf8')).join('\n---\n');
  return parseYamlDocuments(text) as K8sObject[];
}

const find = (objects: K8sObject[], kind: string, name: string): K8sObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (found === undefined) throw new Error(`${kind}/${name} not in fixture`);
  return found;
};
const container = (object: K8sObject) => object.spec?.template?.spec?.containers?.[0] ?? {};

describe('this repository', () => {
  it('has a valid docker-compose.yml and kustomize tree that follow the deploy rules', () => {
    const report = checkDeployFiles();
    for (const line of report.skipped) console.warn(`ops-check skipped: ${line}`);
    expect(report.problems).toEqual([]);
    // docker-compose and kubectl run as child processes: seconds on a busy 2-core machine.
  }, 60_000);

  // The image build runs `npm ci`, which refuses a lock that lacks a workspace.
  it('has a package-lock.json in step with every workspace', () => {
    expect(checkLockSync(REPO_ROOT)).toEqual([]);
  });
});

describe('kubernetes rules', () => {
  it('accept the base manifests as written', () => {
    expect(checkBuild(baseObjects(), EXPECT, REPO_ROOT, 'base')).toEqual([]);
  });

  it('report a container that may write its root filesystem or escalate', () => {
    const objects = baseObjects();
    const security = container(find(objects, 'Deployment', 'selector')).securityContext ?? {};
    security.readOnlyRootFilesystem = false;
    delete security.allowPrivilegeEscalation;
    expect(checkBuild(objects, EXPECT, REPO_ROOT, 'base')).toEqual([
      'base: deployment/selector container selector: allowPrivilegeEscalation is not false',
      'base: deployment/selector container selector: readOnlyRootFilesystem is not true',
    ]);
  });

  it('report a gRPC Service behind a cluster IP, a missing PDB and a missing autoscaler', () => {
    const objects = baseObjects().filter((o) => !(o.kind === 'PodDisruptionBudget' && o.metadata?.name === 'selector'));
    const service = find(objects, 'Service', 'selector');
    if (service.spec) delete service.spec.clusterIP;
    const problems = checkBuild(objects, { ...EXPECT, autoscaled: ['selector'] }, REPO_ROOT, 'base');
    expect(problems).toEqual([
      'base: service/selector: gRPC Service is not headless (clusterIP: None)',
      'base: deployment/selector: no PodDisruptionBudget',
      'base: deployment/selector: no HorizontalPodAutoscaler',
    ]);
  });

  it('report env names the process never reads and HTTP probes on a gRPC backend', () => {
    const objects = baseObjects();
    const selector = container(find(objects, 'Deployment', 'selector'));
    selector.env?.push({ name: 'GRPC_PROT', value: '50051' });
    selector.readinessProbe = { httpGet: { path: '/readyz', port: 50051 } };
    expect(checkBuild(objects, EXPECT, REPO_ROOT, 'base')).toEqual([
      'base: deployment/selector container selector: env GRPC_PROT is not read by services/selector/src/main.ts',
      'base: deployment/selector container selector: readinessProbe is not a native gRPC probe on 50051',
    ]);
  });

  it('report a drain that does not fit in the grace period', () => {
    const objects = baseObjects();
    const pod = find(objects, 'Deployment', 'selector').spec?.template?.spec;
    if (pod) pod.terminationGracePeriodSeconds = 15;
    expect(checkBuild(objects, EXPECT, REPO_ROOT, 'base')).toEqual([
      'base: deployment/selector: terminationGracePeriodSeconds 15 is not longer than preStop 5 s + drain 10000 ms',
    ]);
  });

  it('count ingress’s not-ready drain (SHUTDOWN_DRAIN_MS) and request-log flush with its grace', () => {
    const files = ['config.yaml', 'secret.yaml', 'migrate-job.yaml', 'ingress.yaml'];
    const objects = parseYamlDocuments(files.map((file) => readFileSync(join(REPO_ROOT, 'deploy/base', file), 'utf8')).join('\n---\n')) as K8sObject[];
    const expectIngress = { ...EXPECT, autoscaled: ['ingress'] };
    expect(checkBuild(objects, expectIngress, REPO_ROOT, 'base')).toEqual([]);
    const pod = find(objects, 'Deployment', 'ingress').spec?.template?.spec;
    if (pod) pod.terminationGracePeriodSeconds = 30;
    expect(checkBuild(objects, expectIngress, REPO_ROOT, 'base')).toEqual([
      'base: deployment/ingress: terminationGracePeriodSeconds 30 is not longer than preStop 0 s + drain 40000 ms',
    ]);
  });

  it('report a request-log outbox that is not a volume of its own, or an emptyDir without a size limit', () => {
    const files = ['config.yaml', 'secret.yaml', 'migrate-job.yaml', 'ingress.yaml'];
    const objects = parseYamlDocuments(files.map((file) => readFileSync(join(REPO_ROOT, 'deploy/base', file), 'utf8')).join('\n---\n')) as K8sObject[];
    const expectIngress = { ...EXPECT, autoscaled: ['ingress'] };
    const pod = find(objects, 'Deployment', 'ingress').spec?.template?.spec;
    const outbox = pod?.volumes?.find((v) => v.name === 'log-outbox');
    if (!outbox?.emptyDir) throw new Error('ingress has no log-outbox emptyDir');
    delete outbox.emptyDir.sizeLimit;
    expect(checkBuild(objects, expectIngress, REPO_ROOT, 'base')).toEqual([
      'base: deployment/ingress container ingress: the outbox emptyDir log-outbox has no sizeLimit',
    ]);
    const ingress = container(find(objects, 'Deployment', 'ingress'));
    ingress.volumeMounts = ingress.volumeMounts?.filter((m) => m.name !== 'log-outbox');
    expect(checkBuild(objects, expectIngress, REPO_ROOT, 'base')).toEqual([
      'base: deployment/ingress container ingress: LOG_OUTBOX_DIR /var/lib/aigw/outbox is not on a volume of its own',
    ]);
  });
});

describe('compose rules', () => {
  const compose = () => parseYamlDocuments(readFileSync(join(REPO_ROOT, 'docker-compose.yml'), 'utf8'))[0] as ComposeFile;
  const only = (file: ComposeFile, names: string[]): ComposeFile => ({
    services: Object.fromEntries(Object.entries(file.services ?? {}).filter(([name]) => names.includes(name))),
  });
  const KEEP = ['redis', 'nats', 'mysql', 'migrate', 'seed', 'selector', 'emulators'];

  it('report a writable, root-capable container with an env typo', () => {
    const file = only(compose(), KEEP);
    const selector = file.services?.['selector'];
    if (selector === undefined) throw new Error('selector missing from docker-compose.yml');
    delete selector.read_only;
    selector.cap_drop = [];
    selector.environment = { ...(selector.environment as Record<string, string>), REDIS_ULR: 'redis://redis:6379' };
    expect(checkCompose(file, REPO_ROOT)).toEqual([
      'compose service selector: read_only is not true',
      'compose service selector: cap_drop does not include ALL',
      'compose service selector: env REDIS_ULR is not read by services/selector/src/main.ts',
    ]);
  });

  it('report an ingress whose request-log outbox is not on a volume', () => {
    const file = only(compose(), [...KEEP, 'auth', 'provider-call', 'logging', 'ingress']);
    const ingress = file.services?.['ingress'];
    if (ingress === undefined) throw new Error('ingress missing from docker-compose.yml');
    expect(checkCompose(file, REPO_ROOT)).toEqual([]);
    delete ingress.volumes;
    expect(checkCompose(file, REPO_ROOT)).toEqual(['compose service ingress: LOG_OUTBOX_DIR /var/lib/aigw/outbox is not on a volume']);
  });

  it('report a service that starts before migrations ran', () => {
    const file = only(compose(), KEEP);
    const selector = file.services?.['selector'];
    if (selector?.depends_on === undefined || Array.isArray(selector.depends_on)) throw new Error('selector has no depends_on map');
    delete selector.depends_on['migrate'];
    expect(checkCompose(file, REPO_ROOT)).toEqual([
      'compose service selector: does not wait for migrate (service_completed_successfully)',
    ]);
  });
  it('report a MySQL forced back to mysql_native_password, and a DATABASE_URL that cannot finish its default login', () => {
    const file = only(compose(), KEEP);
    expect(checkCompose(file, REPO_ROOT)).toEqual([]);
    const mysql = file.services?.['mysql'];
    const migrate = file.services?.['migrate'];
    if (mysql === undefined || migrate === undefined) throw new Error('mysql or migrate missing from docker-compose.yml');
    mysql.command = ['--mysql-native-password=ON', '--authentication-policy=mysql_native_password'];
    migrate.environment = { DATABASE_URL: 'mysql://aigw:pw@mysql:3306/aigw' };
    expect(checkCompose(file, REPO_ROOT)).toEqual([
      'compose service mysql: forces mysql_native_password (MySQL 8 default authentication expected)',
      'compose service migrate: DATABASE_URL to mysql has neither TLS (sslmode=REQUIRED) nor allowPublicKeyRetrieval=true',
    ]);
    migrate.environment = { DATABASE_URL: 'mysql://aigw:pw@mysql:3306/aigw?allowPublicKeyRetrieval=true' };
    delete mysql.command;
    expect(checkCompose(file, REPO_ROOT)).toEqual([]);
  });
});

describe('lock sync', () => {
  let dir = '';
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports a workspace npm ci would not find in the lock', () => {
    dir = mkdtempSync(join(tmpdir(), 'ops-check-'));
    const write = (path: string, value: unknown) => {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), JSON.stringify(value));
    };
    write('package.json', { name: 'root', workspaces: ['libs/*'] });
    write('libs/a/package.json', { name: '@x/a', dependencies: { zod: '^4.0.0' } });
    write('libs/b/package.json', { name: '@x/b' });
    write('package-lock.json', {
      packages: {
        '': { name: 'root', workspaces: ['libs/*'] },
        'libs/a': { name: '@x/a', dependencies: { zod: '^3.0.0' } },
        'node_modules/@x/a': { resolved: 'libs/a', link: true },
      },
    });
    expect(checkLockSync(dir)).toEqual([
      'libs/a (@x/a) dependencies.zod: package.json says ^4.0.0, the lock ^3.0.0: run `npm install` and commit package-lock.json',
      'libs/b (@x/b) is not in package-lock.json: run `npm install` and commit package-lock.json',
    ]);
  });
});
