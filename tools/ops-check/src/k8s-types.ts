// The parts of Kubernetes objects the checks look at. Everything is optional: the input is whatever the
// manifests say, and a missing field is exactly what a check reports.

export type Labels = Record<string, string>;

export interface Probe {
  grpc?: { port?: number };
  httpGet?: { path?: string; port?: number | string };
  exec?: { command?: string[] };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  ports?: { name?: string; containerPort?: number }[];
  env?: { name?: string; value?: string }[];
  envFrom?: { configMapRef?: { name?: string }; secretRef?: { name?: string } }[];
  securityContext?: {
    runAsNonRoot?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
    seccompProfile?: { type?: string };
  };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  volumeMounts?: { name?: string; mountPath?: string }[];
}

export interface PodSpec {
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
  containers?: Container[];
  initContainers?: Container[];
  volumes?: { name?: string; emptyDir?: { sizeLimit?: string }; persistentVolumeClaim?: object }[];
  terminationGracePeriodSeconds?: number;
  automountServiceAccountToken?: boolean;
  topologySpreadConstraints?: {
    maxSkew?: number;
    topologyKey?: string;
    whenUnsatisfiable?: string;
    labelSelector?: { matchLabels?: Labels };
    matchLabelKeys?: string[];
  }[];
}

export interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; labels?: Labels };
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  spec?: {
    template?: { metadata?: { labels?: Labels }; spec?: PodSpec };
    /** A Service's label map, or a PodDisruptionBudget's `{matchLabels}`. */
    selector?: Labels | { matchLabels?: Labels };
    clusterIP?: string;
    ports?: { name?: string; port?: number; appProtocol?: string }[];
    scaleTargetRef?: { kind?: string; name?: string };
    podSelector?: { matchLabels?: Labels };
  };
}

/** `kind/name`, the way kubectl names an object. */
export const objectName = (object: K8sObject): string => `${(object.kind ?? '?').toLowerCase()}/${object.metadata?.name ?? '?'}`;

/** Whether every label of `selector` is on `labels` (an empty selector matches nothing here, on purpose). */
export function selects(selector: Labels | undefined, labels: Labels | undefined): boolean {
  const pairs = Object.entries(selector ?? {});
  return pairs.length > 0 && pairs.every(([key, value]) => labels?.[key] === value);
}
