import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { Broker, Trigger } from '@kubernetes-models/knative/eventing.knative.dev/v1';
import { Service } from '@kubernetes-models/knative/serving.knative.dev/v1';
import { PingSource, SinkBinding } from '@kubernetes-models/knative/sources.knative.dev/v1';
import { parseAllDocuments } from 'yaml';
import outboxRelay from '../../functions/outbox-relay';

/**
 * knative/eventing/ checked without a cluster: every document is valid against the Knative
 * schemas, and the objects point at each other, at the functions' names and at the paths the
 * code serves.
 */
const dir = join(__dirname, '..', '..', 'knative', 'eventing');

interface Doc {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  spec: any;
}

const kustomization = parseAllDocuments(readFileSync(join(dir, 'kustomization.yaml'), 'utf8'))[0].toJS();
const docs: Doc[] = (kustomization.resources as string[]).flatMap((file) =>
  parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as Doc),
);
const models: Record<string, new (data: any) => { validate(): void }> = {
  'eventing.knative.dev/v1 Broker': Broker,
  'eventing.knative.dev/v1 Trigger': Trigger,
  'sources.knative.dev/v1 PingSource': PingSource,
  'sources.knative.dev/v1 SinkBinding': SinkBinding,
  'serving.knative.dev/v1 Service': Service,
};
const find = (kind: string) => docs.filter((d) => d.kind === kind);
const ksvc = (ref: any, name: string) => assert.deepEqual(ref, { apiVersion: 'serving.knative.dev/v1', kind: 'Service', name });

describe('knative/eventing', () => {
  test('every document is valid against the Knative schemas, with no namespace of its own', () => {
    for (const doc of docs) {
      const Model = models[`${doc.apiVersion} ${doc.kind}`];
      assert.ok(Model, `${doc.apiVersion} ${doc.kind} is expected`);
      new Model(doc).validate();
      assert.equal((doc.metadata as { namespace?: string }).namespace, undefined, 'the including kustomization sets it');
    }
  });

  test('the Broker retries exponentially and dead-letters into a Service defined here', () => {
    const [broker] = find('Broker');
    const { delivery } = broker.spec;
    assert.equal(delivery.backoffPolicy, 'exponential');
    assert.ok(delivery.retry >= 3);
    assert.match(delivery.backoffDelay, /^PT\d+(\.\d+)?S$/);
    const deadLetter = find('Service').find((s) => s.metadata.name === delivery.deadLetterSink.ref.name);
    assert.ok(deadLetter, 'the dead-letter sink is a Service in this folder');
    assert.equal(find('Trigger').filter((t) => t.spec.subscriber.ref.name === deadLetter.metadata.name).length, 0, 'no Trigger feeds it');
    assert.equal(deadLetter.metadata.labels?.['networking.knative.dev/visibility'], 'cluster-local');
  });

  test('one Trigger per event type and consumer (audit-log: every type it accepts; notify: what a patient hears of), each with its own delivery spec', async () => {
    const broker = find('Broker')[0].metadata.name;
    const { appointmentEventTypes } = await import('../../functions/core/schemas/events');
    const wanted: Record<string, string[]> = {
      'audit-log': [...appointmentEventTypes].sort(),
      notify: ['health.booking.appointment.booked.v1', 'health.booking.appointment.cancelled.v1', 'health.booking.appointment.rescheduled.v1'],
    };
    for (const consumer of ['audit-log', 'notify']) {
      const triggers = find('Trigger').filter((t) => t.spec.subscriber.ref.name === consumer);
      assert.deepEqual(triggers.map((t) => t.spec.filter.attributes.type).sort(), wanted[consumer], consumer);
      for (const t of triggers) {
        assert.equal(t.spec.broker, broker);
        ksvc(t.spec.subscriber.ref, consumer);
        assert.equal(t.spec.delivery.backoffPolicy, 'exponential');
        assert.ok(t.spec.delivery.deadLetterSink.ref.name);
      }
    }
    assert.equal(find('Trigger').length, wanted['audit-log'].length + wanted.notify.length);
  });

  test('the SinkBinding gives exactly the event-writing functions the Broker as K_SINK', () => {
    const [binding] = find('SinkBinding');
    assert.deepEqual(binding.spec.sink.ref, { apiVersion: 'eventing.knative.dev/v1', kind: 'Broker', name: find('Broker')[0].metadata.name });
    assert.equal(binding.spec.subject.apiVersion, 'serving.knative.dev/v1');
    assert.equal(binding.spec.subject.kind, 'Service');
    const [expression] = binding.spec.subject.selector.matchExpressions;
    assert.equal(expression.key, 'app.kubernetes.io/name');
    assert.equal(expression.operator, 'In');
    assert.deepEqual([...expression.values].sort(), ['cancel-booking', 'create-booking', 'outbox-relay', 'reschedule-booking']);
    for (const name of expression.values) assert.ok(existsSync(join(__dirname, '..', '..', 'functions', name, 'index.ts')), `${name} is a function`);
  });

  test('the PingSource calls outbox-relay every minute on the path it serves', () => {
    const ping = find('PingSource').find((p) => p.spec.sink.ref.name === 'outbox-relay')!;
    assert.equal(ping.spec.schedule, '* * * * *');
    ksvc(ping.spec.sink.ref, 'outbox-relay');
    assert.ok(outboxRelay.routes.some((r) => r.method === 'POST' && r.path === ping.spec.sink.uri));
  });

  test('a PingSource calls send-reminders on the path it serves', async () => {
    const { default: sendReminders } = await import('../../functions/send-reminders');
    const ping = find('PingSource').find((p) => p.spec.sink.ref.name === 'send-reminders')!;
    ksvc(ping.spec.sink.ref, 'send-reminders');
    assert.ok(sendReminders.routes.some((r) => r.method === 'POST' && r.path === ping.spec.sink.uri));
  });
});
