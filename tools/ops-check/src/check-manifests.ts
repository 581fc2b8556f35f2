import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCompose, type ComposeFile } from './compose-rules.js';
import { checkDockerfileAt } from './dockerfile-rules.js';
import { checkBuild, type BuildExpectations } from './k8s-rules.js';
import type { K8sObject } from './k8s-types.js';
import { ensureK8sTools, type K8sTools } from './k8s-tools.js';
import { checkLockSync } from './lock-sync.js';
import { validateObjects } from './schema-check.js';
import { comparePolicies, compareWorkloads } from './workload-drift.js';
import { parseYamlDocuments } from './yaml-documents.js';

// Static checks of the deployment files, for places without Docker or a cluster:
//   node --conditions=aigw-source --import tsx tools/ops-check/src/check-manifests.ts
// docker-compose.yml through `docker-compose config`, every kustomize build through `kubectl kustomize`
// (falling back to the raw base + component files when no kubectl is given or installed), the Helm chart
// through `helm lint` and `helm template` (defaults, and every option on), every rendered object against the
// Kubernetes schemas (schema-check.ts), the rules in compose-rules.ts / k8s-rules.ts on every render, the
// chart against the kustomize base (workload-drift.ts), and package-lock.json against the workspaces.
// kubectl and helm come from npm (k8s-tools.ts).

export interface CheckReport {
  problems: string[];
  /** Checks that could not run here, and why. */
  skipped: string[];
}

const AUTOSCALED = ['ingress', 'provider-call'];
const BUILDS: { dir: string; expect: BuildExpectations }[] = [
  { dir: 'deploy/base', expect: { autoscaled: AUTOSCALED, networkPolicies: false } },
  { dir: 'deploy/overlays/dev', expect: { autoscaled: AUTOSCALED, networkPolicies: false } },
  { dir: 'deploy/overlays/prod', expect: { autoscaled: AUTOSCALED, networkPolicies: true } },
];

export const CHART_DIR = 'deploy/helm/aigateway';
/** Release name and namespace of the test renders: objects are called aigateway-<service>. */
const RELEASE = ['aigateway', '--namespace', 'aigw'];
const ALL_ON_VALUES = 'tools/ops-check/fixtures/helm-values-all-on.yaml';
const SERVICES = ['ingress', 'selector', 'auth', 'provider-call', 'logging'];
const CHART_RENDERS: { label: string; args: string[]; expect: BuildExpectations }[] = [
  { label: `${CHART_DIR} (defaults)`, args: [], expect: { autoscaled: AUTOSCALED.map((s) => `aigateway-${s}`), networkPolicies: false } },
  {
    label: `${CHART_DIR} (${ALL_ON_VALUES})`,
    args: ['-f', ALL_ON_VALUES],
    expect: { autoscaled: SERVICES.map((s) => `aigateway-${s}`), networkPolicies: true },
  },
];

/** The repository this file lives in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Checks docker-compose.yml, every kustomize build under deploy/ and the Helm chart. `tools` (or the string
 * saying why there are none) comes from ensureK8sTools; without them kubectl is looked up on PATH and the
 * chart is skipped.
 */
export function checkDeployFiles(repoRoot: string = REPO_ROOT, tools?: K8sTools | string): CheckReport {
  const report: CheckReport = { problems: [], skipped: [] };
  const found = typeof tools === 'object' ? tools : undefined;
  checkComposeFile(repoRoot, report);
  const builds = checkKustomizeBuilds(repoRoot, report, found?.kubectl);
  if (found === undefined) {
    report.skipped.push(`Helm chart (${typeof tools === 'string' ? tools : 'no helm given'})`);
  } else {
    checkChart(repoRoot, report, found.helm, builds);
  }
  return report;
}

/** Runs every check against the repository at `repoRoot`: deploy files, then the lock the image build needs. */
export async function checkManifests(repoRoot: string = REPO_ROOT): Promise<CheckReport> {
  const report = checkDeployFiles(repoRoot, await ensureK8sTools(repoRoot));
  report.problems.push(...checkLockSync(repoRoot));
  report.problems.push(...checkDockerfileAt(repoRoot));
  return report;
}

interface RunResult {
  ok: boolean;
  missing: boolean;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): RunResult {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
  return { ok: result.status === 0, missing, stdout: result.stdout ?? '', stderr: (result.stderr ?? '').trim() };
}

function checkComposeFile(repoRoot: string, report: CheckReport): void {
  const file = join(repoRoot, 'docker-compose.yml');
  const compose = [['docker-compose'], ['docker', 'compose']].find(([cmd, ...sub]) => run(cmd ?? '', [...sub, 'version'], repoRoot).ok);
  let parsed: ComposeFile;
  if (compose === undefined) {
    report.skipped.push('docker-compose config -q (no docker-compose here); checked the raw file instead');
    parsed = parseYamlDocuments(readFileSync(file, 'utf8'))[0] as ComposeFile;
  } else {
    const [cmd = '', ...sub] = compose;
    const quiet = run(cmd, [...sub, '-f', file, 'config', '-q'], repoRoot);
    if (!quiet.ok) {
      report.problems.push(`docker-compose config -q failed: ${quiet.stderr}`);
      return;
    }
    parsed = parseYamlDocuments(run(cmd, [...sub, '-f', file, 'config'], repoRoot).stdout)[0] as ComposeFile;
  }
  report.problems.push(...checkCompose(parsed, repoRoot));
}

/** deploy/base's objects, and the network policies prod turns on (rendered, or as written). */
interface KustomizeBuilds {
  base: K8sObject[];
  prod: K8sObject[];
}

/** Builds and checks every kustomization. */
function checkKustomizeBuilds(repoRoot: string, report: CheckReport, kubectl?: string): KustomizeBuilds {
  const builders: [string, string[]][] = [[kubectl ?? 'kubectl', ['kustomize']], ['kustomize', ['build']]];
  const builder = builders.find(([cmd]) => !run(cmd, ['version', ...(cmd === 'kustomize' ? [] : ['--client'])], repoRoot).missing);
  if (builder === undefined) {
    report.skipped.push('kustomize builds (neither kubectl nor kustomize here); checked deploy/base + network policies as written');
    const objects = [...rawResources(repoRoot, 'deploy/base'), ...rawResources(repoRoot, 'deploy/components/network-policies')];
    report.problems.push(...checkBuild(objects, { autoscaled: AUTOSCALED, networkPolicies: true }, repoRoot, 'deploy/base+network-policies'));
    report.problems.push(...validateObjects(objects, 'deploy/base+network-policies'));
    return { base: rawResources(repoRoot, 'deploy/base'), prod: objects };
  }
  const [cmd, sub] = builder;
  const builds: KustomizeBuilds = { base: [], prod: [] };
  for (const { dir, expect } of BUILDS) {
    const built = run(cmd, [...sub, join(repoRoot, dir)], repoRoot);
    if (!built.ok) {
      report.problems.push(`${dir}: ${cmd} ${sub.join(' ')} failed: ${built.stderr}`);
      continue;
    }
    const objects = parseYamlDocuments(built.stdout) as K8sObject[];
    if (dir === 'deploy/base') builds.base = objects;
    if (dir === 'deploy/overlays/prod') builds.prod = objects;
    report.problems.push(...checkBuild(objects, expect, repoRoot, dir));
    report.problems.push(...validateObjects(objects, dir));
  }
  return builds;
}

/** The chart's objects as `helm template` renders them with `args`, or a problem. */
export function renderChart(repoRoot: string, helm: string, args: string[]): K8sObject[] | string {
  const rendered = run(helm, ['template', ...RELEASE, join(repoRoot, CHART_DIR), ...args], repoRoot);
  return rendered.ok ? (parseYamlDocuments(rendered.stdout) as K8sObject[]) : `helm template ${args.join(' ')} failed: ${rendered.stderr}`;
}

/** helm lint, helm template (defaults and everything on), schemas, deploy rules, and drift from kustomize. */
function checkChart(repoRoot: string, report: CheckReport, helm: string, builds: KustomizeBuilds): void {
  for (const { label, args, expect } of CHART_RENDERS) {
    const lint = run(helm, ['lint', '--strict', join(repoRoot, CHART_DIR), ...args], repoRoot);
    if (!lint.ok) report.problems.push(`${label}: helm lint --strict failed: ${lint.stdout.trim()} ${lint.stderr}`);
    const objects = renderChart(repoRoot, helm, args);
    if (typeof objects === 'string') {
      report.problems.push(`${label}: ${objects}`);
      continue;
    }
    report.problems.push(...checkBuild(objects, expect, repoRoot, label));
    report.problems.push(...validateObjects(objects, label));
    if (expect.networkPolicies) {
      const kustomize = { label: 'components/network-policies', objects: builds.prod };
      report.problems.push(...comparePolicies(kustomize, { label, objects }).map((p) => `drift: ${p}`));
    }
  }
  // The base's image is aigateway:latest; the chart renders the same with image.tag=latest.
  const chart = renderChart(repoRoot, helm, ['--set', 'image.tag=latest']);
  if (typeof chart === 'string') report.problems.push(`${CHART_DIR}: ${chart}`);
  else report.problems.push(...compareWorkloads({ label: 'deploy/base', objects: builds.base }, { label: CHART_DIR, objects: chart }).map((p) => `drift: ${p}`));
}

/** The objects of the files a kustomization lists under `resources` (no patches, no generators). */
function rawResources(repoRoot: string, dir: string): K8sObject[] {
  const kustomization = parseYamlDocuments(readFileSync(join(repoRoot, dir, 'kustomization.yaml'), 'utf8'))[0] as { resources?: string[] };
  return (kustomization.resources ?? []).flatMap(
    (file) => parseYamlDocuments(readFileSync(join(repoRoot, dir, file), 'utf8')) as K8sObject[],
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { problems, skipped } = await checkManifests();
  for (const line of skipped) console.log(`skipped: ${line}`);
  for (const line of problems) console.log(`problem: ${line}`);
  console.log(problems.length === 0 ? 'ops-check: ok' : `ops-check: ${problems.length} problem(s)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
