import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { objectName, type K8sObject } from './k8s-types.js';

// Every rendered object against the Kubernetes OpenAPI schemas that npm `kubernetes-models` bundles (types,
// required fields, enums). The Prometheus Operator's kinds have no schema there; their structure is checked
// by hand below: what the operator needs to find the pods and what Prometheus needs to scrape them.

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: never) => Validatable;

const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/Job': Job,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Namespace': Namespace,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

const MONITORING = 'monitoring.coreos.com/v1';

/** Schema problems of each object, `kind/name: …`; a kind this file knows no schema for is a problem too. */
export function validateObjects(objects: K8sObject[], label: string): string[] {
  const problems: string[] = [];
  for (const object of objects) {
    const key = `${object.apiVersion ?? '?'}/${object.kind ?? '?'}`;
    const where = `${label}: ${objectName(object)}`;
    if (!object.metadata?.name) problems.push(`${where}: metadata.name missing`);
    if (object.apiVersion === MONITORING) {
      problems.push(...checkMonitoringObject(object as MonitoringObject).map((p) => `${where}: ${p}`));
      continue;
    }
    const Model = MODELS[key];
    if (Model === undefined) {
      problems.push(`${where}: no schema for ${key} (add it to tools/ops-check/src/schema-check.ts)`);
      continue;
    }
    try {
      new Model(object as never).validate();
    } catch (error) {
      problems.push(`${where}: ${schemaErrors(error)}`);
    }
  }
  return problems;
}

function schemaErrors(error: unknown): string {
  const errors = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
  if (!Array.isArray(errors)) return String((error as Error).message ?? error);
  return errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim()).join('; ');
}

interface Endpoint {
  port?: unknown;
  path?: unknown;
  interval?: unknown;
}
interface MonitoringObject extends K8sObject {
  spec?: K8sObject['spec'] & {
    endpoints?: Endpoint[];
    podMetricsEndpoints?: Endpoint[];
    groups?: { name?: unknown; rules?: { alert?: unknown; record?: unknown; expr?: unknown; for?: unknown; labels?: unknown }[] }[];
  };
}

const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;

function checkMonitoringObject(object: MonitoringObject): string[] {
  const problems: string[] = [];
  const spec = object.spec ?? {};
  const checkEndpoints = (field: 'endpoints' | 'podMetricsEndpoints') => {
    const endpoints = spec[field];
    if (!Array.isArray(endpoints) || endpoints.length === 0) return problems.push(`spec.${field} missing or empty`);
    const selector = spec.selector as { matchLabels?: Record<string, string> } | undefined;
    if (Object.keys(selector?.matchLabels ?? {}).length === 0) problems.push('spec.selector.matchLabels missing or empty');
    endpoints.forEach((endpoint, i) => {
      // A ServiceMonitor/PodMonitor names its port (string); `targetPort` would be the only numeric form.
      if (typeof endpoint.port !== 'string' || endpoint.port === '') problems.push(`spec.${field}[${i}].port must be a port name`);
      if (endpoint.path !== undefined && (typeof endpoint.path !== 'string' || !endpoint.path.startsWith('/'))) problems.push(`spec.${field}[${i}].path must start with /`);
      if (endpoint.interval !== undefined && !DURATION.test(String(endpoint.interval))) problems.push(`spec.${field}[${i}].interval is not a duration`);
    });
    return undefined;
  };
  switch (object.kind) {
    case 'ServiceMonitor':
      checkEndpoints('endpoints');
      break;
    case 'PodMonitor':
      checkEndpoints('podMetricsEndpoints');
      break;
    case 'PrometheusRule': {
      const groups = spec.groups;
      if (!Array.isArray(groups) || groups.length === 0) {
        problems.push('spec.groups missing or empty');
        break;
      }
      groups.forEach((group, g) => {
        if (typeof group.name !== 'string' || group.name === '') problems.push(`spec.groups[${g}].name missing`);
        if (!Array.isArray(group.rules) || group.rules.length === 0) return problems.push(`spec.groups[${g}].rules missing or empty`);
        group.rules.forEach((rule, r) => {
          const at = `spec.groups[${g}].rules[${r}]`;
          if ((typeof rule.alert === 'string') === (typeof rule.record === 'string')) problems.push(`${at}: exactly one of alert and record`);
          if (typeof rule.expr !== 'string' || rule.expr.trim() === '') problems.push(`${at}.expr missing`);
          if (rule.for !== undefined && !DURATION.test(String(rule.for))) problems.push(`${at}.for is not a duration`);
        });
        return undefined;
      });
      break;
    }
    default:
      problems.push(`no structural check for ${MONITORING}/${object.kind ?? '?'}`);
  }
  return problems;
}
