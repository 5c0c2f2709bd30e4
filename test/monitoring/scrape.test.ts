import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { containerOf, isKnativeService, kustomize, knativeDir } from '../deploy/manifests';

/**
 * The scrape objects reach every function: Knative gives a revision's pods the one declared
 * container port under the name user-port, which the PodMonitor and PodMonitoring scrape for the
 * functions' /metrics, beside the queue-proxy's http-usermetric.
 */
const functions = readdirSync(join(__dirname, '..', '..', 'functions'), { withFileTypes: true })
  .filter((e) => e.isDirectory() && e.name !== 'core')
  .map((e) => e.name)
  .sort();

/** Whether a label selector (matchLabels and matchExpressions) selects a pod with these labels. */
function selects(selector: any, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of selector.matchExpressions ?? []) {
    const has = e.key in labels;
    const ok =
      e.operator === 'Exists' ? has : e.operator === 'DoesNotExist' ? !has : e.operator === 'In' ? has && e.values.includes(labels[e.key]) : !has || !e.values.includes(labels[e.key]);
    if (!ok) return false;
  }
  return true;
}

/** The labels Knative gives a revision's pods that matter here, and those of a pod that is no Knative Service's. */
const podOf = (service: string) => ({ 'serving.knative.dev/service': service, 'app.kubernetes.io/name': service });
const plainPod = { 'app.kubernetes.io/name': 'postgres' };

describe('scrape objects', () => {
  const services = kustomize(knativeDir).filter(isKnativeService);
  const operator = kustomize(join(knativeDir, 'monitoring'));
  const gke = kustomize(join(knativeDir, 'monitoring', 'gke'));

  test('every function\'s Service declares the one port its /metrics is on, 8080', () => {
    // That each function has its Service at all is test/deploy's to check.
    for (const name of functions) {
      const svc = services.find((s) => s.metadata.name === name);
      if (!svc) continue;
      const ports = containerOf(svc).ports ?? [];
      assert.equal(ports.length, 1, name);
      assert.equal(ports[0].containerPort, 8080, name);
      // Knative accepts only these names, and calls the port user-port in the pod whatever it is.
      assert.ok(ports[0].name === undefined || ['http1', 'h2c'].includes(ports[0].name), name);
    }
  });

  for (const [what, docs, kind, endpoints] of [
    ['prometheus-operator', operator, 'PodMonitor', 'podMetricsEndpoints'],
    ['GKE Managed Prometheus', gke, 'PodMonitoring', 'endpoints'],
  ] as const) {
    test(`${what}: the functions' pods on user-port and http-usermetric, the dead-letter sink's on http-usermetric only`, () => {
      const monitors = docs.filter((d) => d.kind === kind);
      const fns = monitors.find((m) => m.metadata.name === 'clinic-functions')!;
      const dead = monitors.find((m) => m.metadata.name === 'clinic-dead-letters')!;
      assert.ok(services.some((s) => s.metadata.name === 'appointment-dead-letters'), 'the dead-letter sink is a Service of knative/');
      for (const name of functions) {
        assert.ok(selects(fns.spec.selector, podOf(name)), `${name}'s pods are not scraped`);
        assert.ok(!selects(dead.spec.selector, podOf(name)), name);
      }
      assert.ok(!selects(fns.spec.selector, podOf('appointment-dead-letters')), 'event_display has no /metrics');
      assert.ok(selects(dead.spec.selector, podOf('appointment-dead-letters')));
      assert.ok(!selects(fns.spec.selector, plainPod) && !selects(dead.spec.selector, plainPod), 'only Knative pods');
      assert.deepEqual(fns.spec[endpoints].map((e: any) => [e.port, e.path]), [['user-port', '/metrics'], ['http-usermetric', '/metrics']]);
      assert.deepEqual(dead.spec[endpoints].map((e: any) => e.port), ['http-usermetric']);
      for (const m of monitors) assert.equal(m.metadata.namespace, 'clinic-booking');
    });
  }

  test('config-observability turns on the queue-proxy\'s request metrics in Prometheus format', () => {
    const cm = operator.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'config-observability')!;
    assert.equal(cm.metadata.namespace, 'knative-serving');
    assert.equal(cm.data['metrics.request-metrics-backend-destination'], 'prometheus');
    assert.equal(cm.data['request-metrics-protocol'], 'prometheus');
  });
});
