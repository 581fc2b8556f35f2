import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, renderChart } from './check-manifests.js';
import { ensureK8sTools, type K8sTools } from './k8s-tools.js';
import type { K8sObject } from './k8s-types.js';
import { parseYamlDocuments } from './yaml-documents.js';

// The alert rules and the dashboard (deploy/monitoring): promtool checks and unit-tests the rules (Debian's
// `prometheus` package ships it; .ci/run installs it), the chart and the kustomize component carry the same
// groups, and every metric the rules and the dashboard name is one the services register.

const MONITORING = join(REPO_ROOT, 'deploy/monitoring');
const RULES = join(MONITORING, 'prometheus-rules.yaml');

interface RuleGroup {
  name: string;
  rules: { alert?: string; expr: string }[];
}
const groupsOf = (text: string): RuleGroup[] => (parseYamlDocuments(text)[0] as { groups: RuleGroup[] }).groups;
const homeGroups = (): RuleGroup[] => groupsOf(readFileSync(RULES, 'utf8'));

function promtool(args: string[], cwd = MONITORING): { status: number | null; output: string } {
  const result = spawnSync('promtool', args, { cwd, encoding: 'utf8' });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('promtool is not installed: apt-get install -y prometheus (as .ci/run does)');
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** Metric names the sources register (`name: 'aigw_…'`), plus prom-client's default process metrics. */
function registeredMetricNames(): Set<string> {
  const names = new Set<string>(['process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']);
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      if (entry === 'node_modules' || entry === 'dist' || entry === 'generated') continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) {
        for (const match of readFileSync(path, 'utf8').matchAll(/name: '(aigw_[a-z0-9_]+)'/g)) names.add(match[1]!);
      }
    }
  };
  for (const root of ['services', 'libs']) walk(join(REPO_ROOT, root));
  return names;
}

/** The metric names a PromQL expression reads (histogram series reduced to the histogram's name). */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:aigw|process|nodejs)_[a-z0-9_]+)/g)].map((m) => m[1]!.replace(/_(bucket|sum|count)$/, ''));
}

let tools: K8sTools | string = 'not unpacked yet';
beforeAll(async () => {
  tools = await ensureK8sTools(REPO_ROOT);
}, 120_000);

describe('alert rules', () => {
  it('pass promtool check rules', () => {
    const { status, output } = promtool(['check', 'rules', RULES]);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
  });

  it('fire each alert on synthetic series (promtool test rules), and every alert has a test', () => {
    const { status, output } = promtool(['test', 'rules', 'prometheus-rules.test.yaml']);
    expect(output).toContain('SUCCESS');
    expect(status).toBe(0);
    const tested = new Set(
      (parseYamlDocuments(readFileSync(join(MONITORING, 'prometheus-rules.test.yaml'), 'utf8'))[0] as {
        tests: { alert_rule_test?: { alertname: string; exp_alerts?: unknown[] }[] }[];
      }).tests.flatMap((test) => (test.alert_rule_test ?? []).filter((t) => (t.exp_alerts ?? []).length > 0).map((t) => t.alertname)),
    );
    const alerts = homeGroups().flatMap((group) => group.rules.flatMap((rule) => (rule.alert === undefined ? [] : [rule.alert])));
    expect(alerts.filter((alert) => !tested.has(alert))).toEqual([]);
  });

  it('are the same groups in the kustomize monitoring component and in the Helm chart', () => {
    const component = parseYamlDocuments(readFileSync(join(REPO_ROOT, 'deploy/components/monitoring/prometheusrule.yaml'), 'utf8'))[0] as K8sObject & {
      spec: { groups: RuleGroup[] };
    };
    expect(component.spec.groups, 'deploy/components/monitoring/prometheusrule.yaml: copy deploy/monitoring/prometheus-rules.yaml').toEqual(homeGroups());
    const chartFile = groupsOf(readFileSync(join(REPO_ROOT, 'deploy/helm/aigateway/files/prometheus-rules.yaml'), 'utf8'));
    expect(chartFile, 'deploy/helm/aigateway/files/prometheus-rules.yaml: copy deploy/monitoring/prometheus-rules.yaml').toEqual(homeGroups());
    if (typeof tools === 'string') throw new Error(`no helm: ${tools}`);
    const objects = renderChart(REPO_ROOT, tools.helm, ['--set', 'monitoring.prometheusRule.enabled=true']);
    if (typeof objects === 'string') throw new Error(objects);
    const rule = objects.find((o) => o.kind === 'PrometheusRule') as (K8sObject & { spec: { groups: RuleGroup[] } }) | undefined;
    expect(rule?.spec.groups.slice(1)).toEqual(homeGroups());
  });

  it('and the Grafana dashboard read only metrics the services register', () => {
    const registered = registeredMetricNames();
    const dashboard = JSON.parse(readFileSync(join(MONITORING, 'grafana-dashboard.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const exprs = [...homeGroups().flatMap((g) => g.rules.map((r) => r.expr)), ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))];
    const unknown = [...new Set(exprs.flatMap(metricsIn))].filter((name) => !registered.has(name));
    expect(unknown).toEqual([]);
    expect(dashboard.panels.length).toBeGreaterThan(10);
  });
});
