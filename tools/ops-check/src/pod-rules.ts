import { entryOf, envNamesReadBy } from './env-reads.js';
import type { Container, K8sObject, PodSpec, Probe } from './k8s-types.js';

// Per-pod rules of STYLE "Deploy" (Online Boutique hardening): non-root, seccomp RuntimeDefault, read-only
// root with an emptyDir /tmp, no privilege escalation, all capabilities dropped, requests and limits, native
// gRPC probes for gRPC backends and /healthz + /readyz for HTTP, a grace period longer than the drain, and
// env names that the process actually reads.

export interface PodContext {
  repoRoot: string;
  /** `kind/name` of the owner, for messages. */
  owner: string;
  /** Long-running (Deployment): needs probes and a grace period. */
  longRunning: boolean;
  /** Keys of the ConfigMaps and Secrets in the same build, for `envFrom`. */
  keysOf: (kind: 'ConfigMap' | 'Secret', name: string) => string[] | undefined;
}

const RESOURCE_FIELDS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory'] as const;

/** Problems with one pod template. */
export function checkPod(pod: PodSpec, context: PodContext): string[] {
  const problems: string[] = [];
  const podSecurity = pod.securityContext ?? {};
  const containers = [...(pod.initContainers ?? []), ...(pod.containers ?? [])];
  if (containers.length === 0) problems.push(`${context.owner}: no containers`);
  for (const container of containers) {
    const where = `${context.owner} container ${container.name ?? '?'}`;
    const security = container.securityContext ?? {};
    if (podSecurity.runAsNonRoot !== true && security.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot is not true`);
    if ((podSecurity.seccompProfile ?? security.seccompProfile)?.type !== 'RuntimeDefault') {
      problems.push(`${where}: seccompProfile is not RuntimeDefault`);
    }
    if (security.allowPrivilegeEscalation !== false) problems.push(`${where}: allowPrivilegeEscalation is not false`);
    if (security.readOnlyRootFilesystem !== true) problems.push(`${where}: readOnlyRootFilesystem is not true`);
    if (!(security.capabilities?.drop ?? []).some((cap) => cap.toUpperCase() === 'ALL')) problems.push(`${where}: capabilities do not drop ALL`);
    if (!mountsEmptyDirTmp(pod, container)) problems.push(`${where}: /tmp is not an emptyDir volume (the only writable place a process may use)`);
    for (const field of RESOURCE_FIELDS) {
      const [group, resource] = field.split('.') as ['requests' | 'limits', string];
      if (!container.resources?.[group]?.[resource]) problems.push(`${where}: resources.${field} missing`);
    }
    problems.push(...checkEnv(container, where, context));
    problems.push(...checkOutbox(pod, container, where, context));
  }
  if (context.longRunning) {
    for (const container of pod.containers ?? []) problems.push(...checkProbes(container, `${context.owner} container ${container.name ?? '?'}`));
    problems.push(...checkGracePeriod(pod, context.owner));
  }
  return problems;
}

function mountsEmptyDirTmp(pod: PodSpec, container: Container): boolean {
  const mount = container.volumeMounts?.find((m) => m.mountPath === '/tmp');
  return mount !== undefined && (pod.volumes ?? []).some((v) => v.name === mount.name && v.emptyDir !== undefined);
}

function checkProbes(container: Container, where: string): string[] {
  const problems: string[] = [];
  const { readinessProbe: readiness, livenessProbe: liveness } = container;
  if (!readiness) problems.push(`${where}: no readinessProbe`);
  if (!liveness) problems.push(`${where}: no livenessProbe`);
  const grpcPort = container.ports?.find((p) => p.name === 'grpc')?.containerPort;
  const isHttpApi = container.ports?.some((p) => p.name === 'http') ?? false;
  if (grpcPort !== undefined) {
    for (const [kind, probe] of [['readiness', readiness], ['liveness', liveness]] as const) {
      if (probe && probe.grpc?.port !== grpcPort) problems.push(`${where}: ${kind}Probe is not a native gRPC probe on ${grpcPort}`);
    }
  } else if (isHttpApi) {
    if (readiness && httpPath(readiness) !== '/readyz') problems.push(`${where}: readinessProbe is not GET /readyz`);
    if (liveness && httpPath(liveness) !== '/healthz') problems.push(`${where}: livenessProbe is not GET /healthz`);
  }
  return problems;
}

const httpPath = (probe: Probe) => probe.httpGet?.path;

// SIGTERM comes after preStop; ingress then serves on, not ready, for SHUTDOWN_DRAIN_MS, and every process lets
// in-flight work finish for SHUTDOWN_GRACE_MS. All of it must fit in the grace period, or Kubernetes kills
// in-flight requests.
function checkGracePeriod(pod: PodSpec, owner: string): string[] {
  const graceSeconds = pod.terminationGracePeriodSeconds;
  if (graceSeconds === undefined) return [`${owner}: terminationGracePeriodSeconds not set (default 30 s may cut the drain)`];
  const problems: string[] = [];
  for (const container of pod.containers ?? []) {
    const sleep = container.lifecycle?.preStop?.exec?.command;
    const preStopSeconds = sleep?.[0] === 'sleep' ? Number(sleep[1] ?? 0) : 0;
    const envMs = (name: string) => Number(container.env?.find((e) => e.name === name)?.value ?? 0);
    // ingress flushes its request-log outbox after the HTTP drain, within LOG_FLUSH_TIMEOUT_MS.
    const drainMs = envMs('SHUTDOWN_DRAIN_MS') + envMs('SHUTDOWN_GRACE_MS') + envMs('LOG_FLUSH_TIMEOUT_MS');
    if (preStopSeconds * 1000 + drainMs >= graceSeconds * 1000) {
      problems.push(`${owner}: terminationGracePeriodSeconds ${graceSeconds} is not longer than preStop ${preStopSeconds} s + drain ${drainMs} ms`);
    }
  }
  return problems;
}

function checkEnv(container: Container, where: string, context: PodContext): string[] {
  const entry = entryOf([...(container.command ?? []), ...(container.args ?? [])]);
  if (entry === undefined) return [`${where}: no .ts entry in command/args, cannot tell what it runs`];
  const reads = envNamesReadBy(context.repoRoot, entry);
  if (reads === undefined) return [`${where}: runs ${entry}, which does not exist`];
  const given: string[] = (container.env ?? []).map((e) => e.name ?? '');
  const problems: string[] = [];
  for (const source of container.envFrom ?? []) {
    const [kind, name] = source.configMapRef ? (['ConfigMap', source.configMapRef.name] as const) : (['Secret', source.secretRef?.name] as const);
    const keys = context.keysOf(kind, name ?? '');
    // A Secret supplied from outside the build (prod) cannot be checked here; a missing ConfigMap can.
    if (keys === undefined && kind === 'ConfigMap') problems.push(`${where}: envFrom ConfigMap ${name ?? '?'} is not in the build`);
    given.push(...(keys ?? []));
  }
  for (const name of given) {
    if (!reads.has(name)) problems.push(`${where}: env ${name} is not read by ${entry}`);
  }
  return problems;
}

/** The request-log outbox (LOG_OUTBOX_DIR) must be a volume of its own, with a size limit when an emptyDir. */
function checkOutbox(pod: PodSpec, container: Container, where: string, context: PodContext): string[] {
  const entry = entryOf([...(container.command ?? []), ...(container.args ?? [])]);
  const reads = entry === undefined ? undefined : envNamesReadBy(context.repoRoot, entry);
  if (!reads?.has('LOG_OUTBOX_DIR')) return [];
  const dir = container.env?.find((e) => e.name === 'LOG_OUTBOX_DIR')?.value;
  if (!dir) return [`${where}: LOG_OUTBOX_DIR not set (the request-log outbox must outlive the container)`];
  const mount = container.volumeMounts?.find((m) => m.mountPath !== '/tmp' && (dir === m.mountPath || dir.startsWith(`${m.mountPath}/`)));
  const volume = (pod.volumes ?? []).find((v) => v.name === mount?.name);
  if (volume === undefined) return [`${where}: LOG_OUTBOX_DIR ${dir} is not on a volume of its own`];
  if (volume.emptyDir !== undefined && !volume.emptyDir.sizeLimit) return [`${where}: the outbox emptyDir ${volume.name ?? '?'} has no sizeLimit`];
  if (volume.emptyDir === undefined && volume.persistentVolumeClaim === undefined) return [`${where}: the outbox volume ${volume.name ?? '?'} is neither an emptyDir nor a claim`];
  return [];
}

/** The pod template of a workload object, if it has one. */
export function podOf(object: K8sObject): PodSpec | undefined {
  return object.spec?.template?.spec;
}
