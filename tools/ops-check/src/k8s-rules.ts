import { entryOf } from './env-reads.js';
import { objectName, selects, type K8sObject, type Labels } from './k8s-types.js';
import { checkPod, podOf } from './pod-rules.js';

// Rules over one kustomize build (all objects together): pods hardened (pod-rules.ts), gRPC Services
// headless, a PodDisruptionBudget and placement spread for every Deployment, the expected autoscalers, a migration Job, and,
// when the build carries network policies, one selecting every Deployment.

export interface BuildExpectations {
  /** Deployments that must have a HorizontalPodAutoscaler. */
  autoscaled: string[];
  /** The build must contain NetworkPolicies (the component is enabled). */
  networkPolicies: boolean;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'Job']);

/** Problems with one kustomize build's objects; `label` names the build in messages. */
export function checkBuild(objects: K8sObject[], expect: BuildExpectations, repoRoot: string, label: string): string[] {
  const problems: string[] = [];
  const keysOf = (kind: 'ConfigMap' | 'Secret', name: string) => {
    const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
    return found === undefined ? undefined : Object.keys({ ...found.data, ...found.stringData });
  };
  const deployments = objects.filter((o) => o.kind === 'Deployment');

  for (const object of objects.filter((o) => WORKLOADS.has(o.kind ?? ''))) {
    const pod = podOf(object);
    if (pod === undefined) {
      problems.push(`${objectName(object)}: no pod template`);
      continue;
    }
    problems.push(...checkPod(pod, { repoRoot, owner: objectName(object), longRunning: object.kind !== 'Job', keysOf }));
  }

  for (const service of objects.filter((o) => o.kind === 'Service')) {
    const grpc = (service.spec?.ports ?? []).some((p) => p.name === 'grpc' || p.appProtocol === 'grpc');
    // A ClusterIP would hide the pods behind one virtual IP, and grpc-js round robin would see one backend.
    if (grpc && service.spec?.clusterIP !== 'None') problems.push(`${objectName(service)}: gRPC Service is not headless (clusterIP: None)`);
  }

  const pdbs = objects.filter((o) => o.kind === 'PodDisruptionBudget');
  const hpas = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
  for (const deployment of deployments) {
    const name = deployment.metadata?.name ?? '?';
    const podLabels = deployment.spec?.template?.metadata?.labels;
    if (!pdbs.some((pdb) => selects(matchLabels(pdb), podLabels))) problems.push(`${objectName(deployment)}: no PodDisruptionBudget`);
    const scaled = hpas.some((h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name);
    if (expect.autoscaled.includes(name) && !scaled) problems.push(`${objectName(deployment)}: no HorizontalPodAutoscaler`);
    // Placement spread: without it the scheduler may put every replica on one node or in one zone.
    const spread = deployment.spec?.template?.spec?.topologySpreadConstraints ?? [];
    if (!spread.some((c) => c.topologyKey && selects(c.labelSelector?.matchLabels, podLabels))) {
      problems.push(`${objectName(deployment)}: no topologySpreadConstraints select its pods (placement spread)`);
    }
    if (expect.networkPolicies && !policies.some((p) => selects(p.spec?.podSelector?.matchLabels, podLabels))) {
      problems.push(`${objectName(deployment)}: no NetworkPolicy selects its pods`);
    }
  }
  if (!expect.networkPolicies && policies.length > 0) problems.push('NetworkPolicies present where the build should have none');

  const migrates = objects.some(
    (o) => o.kind === 'Job' && (podOf(o)?.containers ?? []).some((c) => entryOf([...(c.command ?? []), ...(c.args ?? [])])?.endsWith('migrate-main.ts') === true),
  );
  if (!migrates) problems.push('no Job runs the migrator (libs/db/dist/migrate-main.js)');

  return problems.map((problem) => `${label}: ${problem}`);
}

function matchLabels(pdb: K8sObject): Labels | undefined {
  const selector = pdb.spec?.selector;
  return selector !== undefined && 'matchLabels' in selector ? (selector.matchLabels as Labels | undefined) : undefined;
}
