import { isDeepStrictEqual } from 'node:util';
import type { Container, K8sObject, PodSpec } from './k8s-types.js';

// The Helm chart (deploy/helm/aigateway) and the kustomize base (deploy/base) describe the same pods. This
// compares them per workload, paired by kind and container name (object names differ: the chart prefixes
// the release): image, command line, env names (with the keys envFrom brings in) and literal values, ports,
// probes, preStop, security contexts, volume mounts and the grace period. Values that differ by design are
// left out: addresses of other services (`*_ADDR`, which carry the chart's name prefix), replicas,
// resources, labels and the Secret's name.

const WORKLOAD_KINDS = new Set(['Deployment', 'Job']);

interface Side {
  label: string;
  objects: K8sObject[];
}

/** Differences between the workloads of two renders, each a sentence naming the workload and the field. */
export function compareWorkloads(kustomize: Side, chart: Side): string[] {
  const problems: string[] = [];
  const left = workloads(kustomize.objects);
  const right = workloads(chart.objects);
  for (const key of new Set([...left.keys(), ...right.keys()])) {
    const a = left.get(key);
    const b = right.get(key);
    if (a === undefined || b === undefined) {
      problems.push(`${key}: only in ${a === undefined ? chart.label : kustomize.label}`);
      continue;
    }
    const differ = (field: string, x: unknown, y: unknown) => {
      if (!isDeepStrictEqual(x, y)) problems.push(`${key}: ${field} differ: ${kustomize.label} ${stable(x)}, ${chart.label} ${stable(y)}`);
    };
    const [ca, cb] = [a.container, b.container];
    differ('image', ca.image, cb.image);
    differ('command lines', [ca.command ?? [], ca.args ?? []], [cb.command ?? [], cb.args ?? []]);
    const [ea, eb] = [envNames(ca, kustomize.objects), envNames(cb, chart.objects)];
    const onlyA = ea.filter((n) => !eb.includes(n));
    const onlyB = eb.filter((n) => !ea.includes(n));
    if (onlyA.length > 0 || onlyB.length > 0) {
      problems.push(`${key}: env names differ: only in ${kustomize.label} [${onlyA.join(', ')}], only in ${chart.label} [${onlyB.join(', ')}]`);
    }
    differ('env values', literalEnv(ca), literalEnv(cb));
    differ('ports', ca.ports ?? [], cb.ports ?? []);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) differ(probe, ca[probe], cb[probe]);
    differ('lifecycle', ca.lifecycle, cb.lifecycle);
    differ('container securityContext', ca.securityContext, cb.securityContext);
    differ('pod securityContext', a.pod.securityContext, b.pod.securityContext);
    differ('volumeMounts', ca.volumeMounts ?? [], cb.volumeMounts ?? []);
    differ('volumes', a.pod.volumes ?? [], b.pod.volumes ?? []);
    differ('terminationGracePeriodSeconds', a.pod.terminationGracePeriodSeconds, b.pod.terminationGracePeriodSeconds);
    differ('automountServiceAccountToken', a.pod.automountServiceAccountToken, b.pod.automountServiceAccountToken);
    differ('topologySpreadConstraints (without their selectors)', spreadShape(a.pod), spreadShape(b.pod));
  }
  return problems;
}

function workloads(objects: K8sObject[]): Map<string, { pod: PodSpec; container: Container }> {
  const found = new Map<string, { pod: PodSpec; container: Container }>();
  for (const object of objects.filter((o) => WORKLOAD_KINDS.has(o.kind ?? ''))) {
    const pod = object.spec?.template?.spec;
    for (const container of pod?.containers ?? []) found.set(`${object.kind?.toLowerCase() ?? '?'} container ${container.name ?? '?'}`, { pod: pod!, container });
  }
  return found;
}

/** `env` names plus the keys of the ConfigMaps/Secrets `envFrom` names (when they are in the render). */
function envNames(container: Container, objects: K8sObject[]): string[] {
  const names = (container.env ?? []).map((e) => e.name ?? '?');
  for (const source of container.envFrom ?? []) {
    const [kind, name] = source.configMapRef ? ['ConfigMap', source.configMapRef.name] : ['Secret', source.secretRef?.name];
    const object = objects.find((o) => o.kind === kind && o.metadata?.name === name);
    names.push(...Object.keys({ ...object?.data, ...object?.stringData }));
  }
  return [...new Set(names)].sort();
}

function literalEnv(container: Container): Record<string, string | undefined> {
  const values = (container.env ?? []).filter((e) => e.value !== undefined && !(e.name ?? '').endsWith('_ADDR'));
  return Object.fromEntries(values.map((e) => [e.name ?? '?', e.value]));
}

function spreadShape(pod: PodSpec): unknown[] {
  return (pod.topologySpreadConstraints ?? []).map(({ labelSelector: _selector, ...rest }) => rest);
}

/** JSON with object keys sorted, so the two renders' key orders do not show in messages. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface PolicyRule {
  from?: PolicyPeer[];
  to?: PolicyPeer[];
  ports?: { port?: number | string; protocol?: string }[];
}
interface PolicySpec {
  podSelector?: { matchLabels?: Record<string, string> };
  policyTypes?: string[];
  ingress?: PolicyRule[];
  egress?: PolicyRule[];
}

/**
 * Differences between the NetworkPolicies of two renders, paired by the service they select (`app` in the
 * kustomize tree, `app.kubernetes.io/component` in the chart): policy types, and per rule its peers (pods by
 * service, namespaces by labels) and ports.
 */
export function comparePolicies(kustomize: Side, chart: Side): string[] {
  const left = policies(kustomize.objects);
  const right = policies(chart.objects);
  const problems: string[] = [];
  for (const service of new Set([...left.keys(), ...right.keys()])) {
    const [a, b] = [left.get(service), right.get(service)];
    if (a === undefined || b === undefined) {
      problems.push(`networkpolicy for ${service}: only in ${a === undefined ? chart.label : kustomize.label}`);
    } else if (!isDeepStrictEqual(a, b)) {
      problems.push(`networkpolicy for ${service}: rules differ: ${kustomize.label} ${stable(a)}, ${chart.label} ${stable(b)}`);
    }
  }
  return problems;
}

const serviceOf = (labels: Record<string, string> | undefined): string | undefined => labels?.['app'] ?? labels?.['app.kubernetes.io/component'];

function policies(objects: K8sObject[]): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const object of objects.filter((o) => o.kind === 'NetworkPolicy')) {
    const spec = object.spec as PolicySpec | undefined;
    const peer = (p: PolicyPeer) =>
      p.podSelector !== undefined ? `pods of ${serviceOf(p.podSelector.matchLabels) ?? '?'}` : `namespaces ${stable(p.namespaceSelector?.matchLabels ?? {})}`;
    const rules = (list: PolicyRule[] | undefined, side: 'from' | 'to') =>
      (list ?? []).map((rule) => ({ peers: (rule[side] ?? []).map(peer), ports: (rule.ports ?? []).map((p) => `${p.port ?? '?'}/${p.protocol ?? 'TCP'}`) }));
    found.set(serviceOf(spec?.podSelector?.matchLabels) ?? '?', {
      policyTypes: spec?.policyTypes ?? [],
      ingress: rules(spec?.ingress, 'from'),
      egress: rules(spec?.egress, 'to'),
    });
  }
  return found;
}
