import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkDeployFiles, REPO_ROOT, renderChart } from './check-manifests.js';
import { checkCompose, type ComposeFile } from './compose-rules.js';
import { checkBuild } from './k8s-rules.js';
import { ensureK8sTools, type K8sTools } from './k8s-tools.js';
import type { K8sObject } from './k8s-types.js';
import { checkLockSync } from './lock-sync.js';
import { validateObjects } from './schema-check.js';
import { comparePolicies, compareWorkloads } from './workload-drift.js';
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

// kubectl and helm from the npm CDK layer: unpacked once (a second or two), then cached in node_modules/.cache.
let tools: K8sTools | string = 'not unpacked yet';
beforeAll(async () => {
  tools = await ensureK8sTools(REPO_ROOT);
}, 120_000);
const helm = (): string => {
  if (typeof tools === 'string') throw new Error(`no helm: ${tools}`);
  return tools.helm;
};
const chartObjects = (args: string[] = []): K8sObject[] => {
  const objects = renderChart(REPO_ROOT, helm(), args);
  if (typeof objects === 'string') throw new Error(objects);
  return objects;
};

describe('this repository', () => {
  it('has kubectl and helm from npm (the CDK kubectl layer) on linux/x64', () => {
    if (process.platform !== 'linux' || process.arch !== 'x64') return;
    expect(tools).toMatchObject({ kubectl: expect.stringContaining('aigw-k8s-tools'), helm: expect.stringContaining('aigw-k8s-tools') });
  });

  it('has a valid docker-compose.yml, kustomize tree and Helm chart that render, validate, follow the deploy rules and agree', () => {
    const report = checkDeployFiles(REPO_ROOT, tools);
    for (const line of report.skipped) console.warn(`ops-check skipped: ${line}`);
    expect(report.problems).toEqual([]);
    if (typeof tools === 'object') expect(report.skipped.filter((line) => !line.startsWith('docker-compose'))).toEqual([]);
    // docker-compose, kubectl and helm run as child processes: seconds on a busy 2-core machine.
  }, 120_000);

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

describe('kubernetes rules: placement spread', () => {
  it('report a Deployment without topologySpreadConstraints', () => {
    const objects = baseObjects();
    const pod = find(objects, 'Deployment', 'selector').spec?.template?.spec;
    if (pod) delete pod.topologySpreadConstraints;
    expect(checkBuild(objects, EXPECT, REPO_ROOT, 'base')).toEqual([
      'base: deployment/selector: no topologySpreadConstraints select its pods (placement spread)',
    ]);
  });
});

describe('schema check', () => {
  it('accepts the base as written and reports wrong types and missing required fields', () => {
    const objects = baseObjects();
    expect(validateObjects(objects, 'base')).toEqual([]);
    const selector = find(objects, 'Deployment', 'selector');
    const ports = container(selector).ports ?? [];
    (ports[0] as { containerPort?: unknown }).containerPort = '50051';
    delete selector.spec?.template?.spec?.topologySpreadConstraints?.[0]?.whenUnsatisfiable;
    expect(validateObjects(objects, 'base')).toEqual([
      'base: deployment/selector: /spec/template/spec/containers/0/ports/0/containerPort must be integer; ' +
        '/spec/template/spec/topologySpreadConstraints/0 must have required property whenUnsatisfiable',
    ]);
  });

  it('checks Prometheus Operator objects by structure and refuses kinds it has no schema for', () => {
    const podMonitors = parseYamlDocuments(readFileSync(join(REPO_ROOT, 'deploy/components/monitoring/podmonitors.yaml'), 'utf8')) as K8sObject[];
    expect(validateObjects(podMonitors, 'monitoring')).toEqual([]);
    const [first] = podMonitors as { spec: { podMetricsEndpoints: { port: unknown; interval: unknown }[] } }[];
    first!.spec.podMetricsEndpoints[0]!.port = 9464;
    first!.spec.podMetricsEndpoints[0]!.interval = '30 seconds';
    const ingress: K8sObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'web' } };
    expect(validateObjects([...podMonitors, ingress], 'monitoring')).toEqual([
      'monitoring: podmonitor/ingress: spec.podMetricsEndpoints[0].port must be a port name',
      'monitoring: podmonitor/ingress: spec.podMetricsEndpoints[0].interval is not a duration',
      'monitoring: ingress/web: no schema for networking.k8s.io/v1/Ingress (add it to tools/ops-check/src/schema-check.ts)',
    ]);
  });
});

describe('helm chart', () => {
  it('runs the migrations as a pre-install/pre-upgrade hook that never trips over an immutable Job', () => {
    const job = chartObjects().find((o) => o.kind === 'Job') as K8sObject & { metadata: { annotations?: Record<string, string> } };
    expect(job.metadata.annotations).toMatchObject({
      'helm.sh/hook': 'pre-install,pre-upgrade',
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    });
  }, 60_000);

  it('takes secrets from the named existing Secret and leaves replicas to the autoscaler where one is on', () => {
    const objects = chartObjects(['--set', 'secrets.existingSecret=vault-synced', '--set', 'services.selector.autoscaling.enabled=true']);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const refs = objects
      .flatMap((o) => o.spec?.template?.spec?.containers ?? [])
      .flatMap((c) => (c.env ?? []) as { valueFrom?: { secretKeyRef?: { name?: string } } }[])
      .flatMap((e) => (e.valueFrom?.secretKeyRef?.name === undefined ? [] : [e.valueFrom.secretKeyRef.name]));
    expect(new Set(refs)).toEqual(new Set(['vault-synced']));
    const replicas = Object.fromEntries(
      objects.filter((o) => o.kind === 'Deployment').map((o) => [o.metadata?.name, (o.spec as { replicas?: number }).replicas]),
    );
    expect(replicas).toEqual({
      'aigateway-auth': 2,
      'aigateway-ingress': undefined,
      'aigateway-logging': 2,
      'aigateway-provider-call': undefined,
      'aigateway-selector': undefined,
    });
  }, 60_000);

  it('refuses values its schema does not know', () => {
    expect(renderChart(REPO_ROOT, helm(), ['--set', 'services.ingress.replica=3'])).toMatch(/additional properties 'replica' not allowed/);
  }, 60_000);

  it('drift: a probe, an env name or a security setting that differs from the kustomize base is reported', () => {
    if (typeof tools === 'string') throw new Error(`no kubectl: ${tools}`);
    const built = spawnSync(tools.kubectl, ['kustomize', join(REPO_ROOT, 'deploy/base')], { encoding: 'utf8' });
    expect(built.stderr).toBe('');
    const base = parseYamlDocuments(built.stdout) as K8sObject[];
    const chart = chartObjects(['--set', 'image.tag=latest']);
    const kustomize = { label: 'kustomize', objects: base };
    expect(compareWorkloads(kustomize, { label: 'chart', objects: chart })).toEqual([]);
    const selector = container(find(chart, 'Deployment', 'aigateway-selector'));
    if (selector.readinessProbe) (selector.readinessProbe as { periodSeconds?: number }).periodSeconds = 30;
    selector.env?.push({ name: 'GRPC_MAX_STREAMS', value: '100' });
    const ingress = container(find(chart, 'Deployment', 'aigateway-ingress'));
    if (ingress.securityContext) ingress.securityContext.readOnlyRootFilesystem = false;
    expect(compareWorkloads(kustomize, { label: 'chart', objects: chart }).sort()).toEqual([
      'deployment container ingress: container securityContext differ: ' +
        'kustomize {"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"privileged":false,"readOnlyRootFilesystem":true}, ' +
        'chart {"allowPrivilegeEscalation":false,"capabilities":{"drop":["ALL"]},"privileged":false,"readOnlyRootFilesystem":false}',
      'deployment container selector: env names differ: only in kustomize [], only in chart [GRPC_MAX_STREAMS]',
      'deployment container selector: env values differ: kustomize {"GRPC_HOST":"0.0.0.0","GRPC_PORT":"50051","SHUTDOWN_GRACE_MS":"10000"}, ' +
        'chart {"GRPC_HOST":"0.0.0.0","GRPC_MAX_STREAMS":"100","GRPC_PORT":"50051","SHUTDOWN_GRACE_MS":"10000"}',
      'deployment container selector: readinessProbe differ: kustomize {"failureThreshold":2,"grpc":{"port":50051},"periodSeconds":5}, ' +
        'chart {"failureThreshold":2,"grpc":{"port":50051},"periodSeconds":30}',
    ]);
  }, 60_000);
});

describe('helm chart network policies', () => {
  it('drift: a policy that admits other peers or ports than components/network-policies is reported', () => {
    if (typeof tools === 'string') throw new Error(`no kubectl: ${tools}`);
    const built = spawnSync(tools.kubectl, ['kustomize', join(REPO_ROOT, 'deploy/overlays/prod')], { encoding: 'utf8' });
    const kustomize = { label: 'kustomize', objects: parseYamlDocuments(built.stdout) as K8sObject[] };
    const chart = chartObjects(['--set', 'networkPolicies.enabled=true']);
    expect(comparePolicies(kustomize, { label: 'chart', objects: chart })).toEqual([]);
    const policy = find(chart, 'NetworkPolicy', 'aigateway-logging').spec as { ingress: { ports: { port: number }[] }[] };
    policy.ingress[0]!.ports[0]!.port = 9999;
    expect(comparePolicies(kustomize, { label: 'chart', objects: chart.filter((o) => o.metadata?.name !== 'aigateway-auth') })).toEqual([
      'networkpolicy for auth: only in kustomize',
      'networkpolicy for logging: rules differ: ' +
        'kustomize {"egress":[{"peers":[],"ports":["3306/TCP","4222/TCP"]},{"peers":[],"ports":["53/UDP","53/TCP"]}],' +
        '"ingress":[{"peers":["namespaces {\\"kubernetes.io/metadata.name\\":\\"monitoring\\"}"],"ports":["9464/TCP"]}],"policyTypes":["Ingress","Egress"]}, ' +
        'chart {"egress":[{"peers":[],"ports":["3306/TCP","4222/TCP"]},{"peers":[],"ports":["53/UDP","53/TCP"]}],' +
        '"ingress":[{"peers":["namespaces {\\"kubernetes.io/metadata.name\\":\\"monitoring\\"}"],"ports":["9999/TCP"]}],"policyTypes":["Ingress","Egress"]}',
    ]);
  }, 60_000);
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
