import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';
import { registry } from '../../functions/core/metrics';

/**
 * The Grafana dashboard and the alerting rules query only metrics that exist: the functions'
 * own (functions/core/metrics.ts's registry, default Node metrics included) or Knative
 * queue-proxy's, so no panel is empty for a misspelt name and no alert waits on a series that
 * never comes.
 */
const monitoring = join(__dirname, '..', '..', 'knative', 'monitoring');

/** Knative Serving's queue-proxy request metrics (config-observability.yaml turns them on). */
const queueProxy = ['revision_request_count', 'revision_app_request_count', 'revision_queue_depth']
  .concat(['revision_request_latencies', 'revision_app_request_latencies'].flatMap((h) => [`${h}_bucket`, `${h}_sum`, `${h}_count`]));

/** Names a scrape of the registry yields: a histogram's series are _bucket, _sum and _count. */
async function ownMetricNames(): Promise<Set<string>> {
  const names = new Set<string>();
  for (const m of await registry.getMetricsAsJSON()) {
    // The typings say an enum; the objects carry the exposition's type name.
    if (String(m.type) === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(m.name + s);
    else names.add(m.name);
  }
  return names;
}

const keywords = new Set(['by', 'without', 'and', 'or', 'unless', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'inf', 'nan']);

/**
 * The metric names a PromQL expression selects: identifiers left once strings, label matchers,
 * ranges, grouping clauses and function calls are taken out.
 */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    // Numbers and durations (0.99, 5m, 1e3).
    .replace(/(?<![\w:])\d[\w.]*/g, ' ');
  const names: string[] = [];
  for (const m of bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    if (m[1]) continue;
    const name = m[0];
    if (!keywords.has(name.toLowerCase())) names.push(name);
  }
  return names;
}

function dashboardQueries(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(join(monitoring, 'grafana-dashboard.json'), 'utf8'));
  return dashboard.panels.flatMap((p: any) => p.targets.map((t: any) => ({ panel: p.title, expr: t.expr })));
}

function ruleQueries(): Array<{ panel: string; expr: string }> {
  const rules = parse(readFileSync(join(monitoring, 'clinic-booking.rules'), 'utf8'));
  return rules.groups.flatMap((g: any) => g.rules.map((r: any) => ({ panel: r.alert, expr: r.expr })));
}

describe('queries', () => {
  test('the name parser finds metrics and nothing else', () => {
    assert.deepEqual(
      metricNames('histogram_quantile(0.99, sum by (function, le) (rate(http_server_request_duration_seconds_bucket{route!="/x by (y)"}[$__rate_interval])))'),
      ['http_server_request_duration_seconds_bucket'],
    );
    assert.deepEqual(metricNames('max(a_total) > 0 and on (pod) b unless c offset 5m'), ['a_total', 'b', 'c']);
  });

  test('the dashboard has the issue\'s panels', () => {
    const titles = dashboardQueries().map((q) => q.panel).join('\n');
    for (const want of [/Requests per second/, /p50/, /p99/, /Booking attempts/, /Outbox lag/, /Database pool/]) assert.match(titles, want);
  });

  test('every dashboard and alert query selects only metrics that exist', async () => {
    const known = new Set([...(await ownMetricNames()), ...queueProxy]);
    const unknown: string[] = [];
    const queries = [...dashboardQueries(), ...ruleQueries()];
    for (const { panel, expr } of queries) {
      const names = metricNames(expr);
      assert.ok(names.length > 0, `${panel}: no metric found in ${expr}`);
      for (const name of names) if (!known.has(name)) unknown.push(`${panel}: ${name}`);
    }
    assert.deepEqual(unknown, []);
    // And the check is not vacuous: a misspelt name is caught.
    assert.ok(!known.has(metricNames('sum(rate(booking_attempt_total[5m]))')[0]));
  });

  test('the functions\' own metrics the dashboard needs are all in the registry', async () => {
    const own = await ownMetricNames();
    for (const name of [
      'http_server_request_duration_seconds_bucket',
      'booking_attempts_total',
      'appointments_cancelled_total',
      'db_pool_connections',
      'db_pool_acquire_timeouts_total',
      'outbox_pending_events',
      'outbox_oldest_pending_age_seconds',
      'outbox_relay_sent_total',
      'outbox_relay_failed_total',
      'process_cpu_seconds_total',
    ]) {
      assert.ok(own.has(name), name);
    }
  });
});
