import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse } from 'yaml';

/**
 * knative/monitoring's alerting rules, checked and unit-tested by Debian's promtool: each alert
 * has a case where it fires and one where it does not (alerts.promtest.yaml).
 */
const root = join(__dirname, '..', '..');
const rulesFile = join(root, 'knative', 'monitoring', 'clinic-booking.rules');
const casesFile = join(__dirname, 'alerts.promtest.yaml');

const promtool = (...args: string[]) => spawnSync('/usr/bin/promtool', args, { encoding: 'utf8', cwd: __dirname });

const alertNames = (): string[] => parse(readFileSync(rulesFile, 'utf8')).groups.flatMap((g: any) => g.rules.map((r: any) => r.alert));

describe('alerting rules', () => {
  test('promtool check rules accepts the rules file', () => {
    const run = promtool('check', 'rules', rulesFile);
    assert.equal(run.status, 0, run.stdout + run.stderr);
    assert.match(run.stdout, new RegExp(`SUCCESS: ${alertNames().length} rules found`));
  });

  test('the issue\'s six alerts are there', () => {
    assert.deepEqual(alertNames().sort(), [
      'ClinicDatabaseDown',
      'ClinicEventsDeadLettered',
      'ClinicHighErrorRatio',
      'ClinicOutboxStuck',
      'ClinicPoolSaturated',
      'ClinicSlowResponses',
    ]);
  });

  test('promtool test rules: every case passes', () => {
    const run = promtool('test', 'rules', casesFile);
    assert.equal(run.status, 0, run.stdout + run.stderr);
  });

  test('each alert has a case where it fires and one where it does not', () => {
    const cases = parse(readFileSync(casesFile, 'utf8')).tests.flatMap((t: any) => t.alert_rule_test);
    for (const name of alertNames()) {
      const mine = cases.filter((c: any) => c.alertname === name);
      assert.ok(mine.some((c: any) => c.exp_alerts.length > 0), `${name} never fires in the cases`);
      assert.ok(mine.some((c: any) => c.exp_alerts.length === 0), `${name} has no case where it stays quiet`);
    }
  });

  test('the cases can fail: a rule with a threshold out of reach makes promtool say so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clinic-rules-'));
    try {
      const broken = readFileSync(rulesFile, 'utf8').replace('max(outbox_oldest_pending_age_seconds) > 300', 'max(outbox_oldest_pending_age_seconds) > 3000');
      assert.notEqual(broken, readFileSync(rulesFile, 'utf8'));
      writeFileSync(join(dir, 'clinic-booking.rules'), broken);
      const cases = readFileSync(casesFile, 'utf8').replace('../../knative/monitoring/clinic-booking.rules', join(dir, 'clinic-booking.rules'));
      writeFileSync(join(dir, 'cases.yaml'), cases);
      const run = promtool('test', 'rules', join(dir, 'cases.yaml'));
      assert.notEqual(run.status, 0);
      assert.match(run.stdout + run.stderr, /ClinicOutboxStuck/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the PrometheusRule holds exactly the rules file\'s groups', () => {
    const rule = parse(readFileSync(join(root, 'knative', 'monitoring', 'prometheus-rule.yaml'), 'utf8'));
    assert.equal(rule.kind, 'PrometheusRule');
    assert.deepEqual(rule.spec, parse(readFileSync(rulesFile, 'utf8')));
  });

  test('the PrometheusRule renders through kustomize into the clinic\'s namespace', () => {
    const out = execFileSync('kubectl', ['kustomize', join(root, 'knative', 'monitoring')], { encoding: 'utf8' });
    const docs = out.split(/^---$/m).map((d) => parse(d));
    const byKind = new Map(docs.map((d) => [`${d.kind}/${d.metadata.name}`, d]));
    assert.equal(byKind.get('PrometheusRule/clinic-booking')?.metadata.namespace, 'clinic-booking');
    assert.equal(byKind.get('PodMonitor/clinic-functions')?.metadata.namespace, 'clinic-booking');
    assert.equal(byKind.get('ConfigMap/clinic-booking-dashboard')?.metadata.namespace, 'clinic-booking');
    assert.equal(byKind.get('ConfigMap/config-observability')?.metadata.namespace, 'knative-serving');
  });
});
