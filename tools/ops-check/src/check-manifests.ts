import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { checkCompose, type ComposeFile } from './compose-rules.js';
import { checkDockerfileAt } from './dockerfile-rules.js';
import { checkBuild, type BuildExpectations } from './k8s-rules.js';
import type { K8sObject } from './k8s-types.js';
import { checkLockSync } from './lock-sync.js';
import { parseYamlDocuments } from './yaml-documents.js';

// Static checks of the deployment files, for places without Docker or a cluster:
//   node --conditions=aigw-source --import tsx tools/ops-check/src/check-manifests.ts
// docker-compose.yml through `docker-compose config`, every kustomize build through `kubectl kustomize`
// (falling back to the raw base + component files when neither kubectl nor kustomize is installed), the
// rules in compose-rules.ts / k8s-rules.ts, and package-lock.json against the workspaces (npm ci needs both).

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

/** The repository this file lives in. */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** Checks docker-compose.yml and every kustomize build under deploy/. */
export function checkDeployFiles(repoRoot: string = REPO_ROOT): CheckReport {
  const report: CheckReport = { problems: [], skipped: [] };
  checkComposeFile(repoRoot, report);
  checkKustomizeBuilds(repoRoot, report);
  return report;
}

/** Runs every check against the repository at `repoRoot`: deploy files, then the lock the image build needs. */
export function checkManifests(repoRoot: string = REPO_ROOT): CheckReport {
  const report = checkDeployFiles(repoRoot);
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

function checkKustomizeBuilds(repoRoot: string, report: CheckReport): void {
  const builders: [string, string[]][] = [['kubectl', ['kustomize']], ['kustomize', ['build']]];
  const builder = builders.find(([cmd]) => !run(cmd, ['version', ...(cmd === 'kubectl' ? ['--client'] : [])], repoRoot).missing);
  if (builder === undefined) {
    report.skipped.push('kustomize builds (neither kubectl nor kustomize here); checked deploy/base + network policies as written');
    const objects = [...rawResources(repoRoot, 'deploy/base'), ...rawResources(repoRoot, 'deploy/components/network-policies')];
    report.problems.push(...checkBuild(objects, { autoscaled: AUTOSCALED, networkPolicies: true }, repoRoot, 'deploy/base+network-policies'));
    return;
  }
  const [cmd, sub] = builder;
  for (const { dir, expect } of BUILDS) {
    const built = run(cmd, [...sub, join(repoRoot, dir)], repoRoot);
    if (!built.ok) {
      report.problems.push(`${dir}: ${cmd} ${sub.join(' ')} failed: ${built.stderr}`);
      continue;
    }
    report.problems.push(...checkBuild(parseYamlDocuments(built.stdout) as K8sObject[], expect, repoRoot, dir));
  }
}

/** The objects of the files a kustomization lists under `resources` (no patches, no generators). */
function rawResources(repoRoot: string, dir: string): K8sObject[] {
  const kustomization = parseYamlDocuments(readFileSync(join(repoRoot, dir, 'kustomization.yaml'), 'utf8'))[0] as { resources?: string[] };
  return (kustomization.resources ?? []).flatMap(
    (file) => parseYamlDocuments(readFileSync(join(repoRoot, dir, file), 'utf8')) as K8sObject[],
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { problems, skipped } = checkManifests();
  for (const line of skipped) console.log(`skipped: ${line}`);
  for (const line of problems) console.log(`problem: ${line}`);
  console.log(problems.length === 0 ? 'ops-check: ok' : `ops-check: ${problems.length} problem(s)`);
  process.exitCode = problems.length === 0 ? 0 : 1;
}
