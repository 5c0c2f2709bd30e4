import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { crdErrors, hasCrd } from './crd-schemas';
import { assertConfigMapRefsResolve, containerOf, envOf, isKnativeService, knativeDir, kustomize, rendered, schemaErrors, unknownFields, type Resource } from './manifests';

/**
 * knative/overlays/production: CloudNativePG in place of the StatefulSet, validated against the
 * operators' real CRDs (test/deploy/crds/), and the numbers that must agree across its objects.
 */
const overlayDir = join(knativeDir, 'overlays', 'production');
// The patients' paths and the event plumbing, whose pools are sized to their concurrency.
const usesDatabase = ['availability', 'create-booking', 'list-appointments', 'cancel-booking', 'outbox-relay', 'audit-log'];
/** Every function that reads DATABASE_URL, whichever it is: each must be able to verify the server. */
const connecting = (docs: Resource[]) => functions(docs).filter((s) => envOf(s).has('DATABASE_URL'));

let render: Resource[];
let base: Resource[];
const one = (kind: string) => {
  const found = render.filter((d) => d.kind === kind);
  assert.equal(found.length, 1, `one ${kind} in the render`);
  return found[0];
};
const functions = (docs: Resource[]) => docs.filter((d) => isKnativeService(d) && d.metadata.labels?.['app.kubernetes.io/component'] === 'function');

before(() => {
  render = kustomize(overlayDir);
  base = kustomize(knativeDir);
});

describe('the production overlay renders and validates', () => {
  test('custom resources validate against the CloudNativePG, Barman Cloud and cert-manager CRDs', () => {
    const custom = render.filter((d) => hasCrd(d.apiVersion, d.kind));
    assert.deepEqual(custom.map((d) => d.kind).sort(), ['Cluster', 'ClusterIssuer', 'ObjectStore', 'Pooler', 'ScheduledBackup']);
    assert.deepEqual(rendered(custom, 'production').flatMap(crdErrors), []);
  });

  test('every other object validates against its Kubernetes or Knative schema, with no unknown field', () => {
    const others = rendered(render.filter((d) => !hasCrd(d.apiVersion, d.kind)), 'production');
    assert.deepEqual(others.flatMap(schemaErrors), []);
    assert.deepEqual(unknownFields(others), []);
  });

  test('the CRD check is not vacuous: a misspelt field, a wrong type and a bad enum are errors', () => {
    const cluster = structuredClone(one('Cluster'));
    cluster.spec.enablePdb = true;
    cluster.spec.instances = 'three';
    const pooler = structuredClone(one('Pooler'));
    pooler.spec.pgbouncer.poolMode = 'statement-ish';
    const errors = [...crdErrors({ where: 'c', doc: cluster }), ...crdErrors({ where: 'p', doc: pooler })].join('\n');
    assert.match(errors, /enablePdb/);
    assert.match(errors, /\/spec\/instances must be integer/);
    assert.match(errors, /\/spec\/pgbouncer\/poolMode must be equal to one of the allowed values/);
  });

  test('no StatefulSet, pg_dump CronJob or postgres Service: CloudNativePG replaces them', () => {
    for (const kind of ['StatefulSet', 'CronJob', 'PersistentVolumeClaim', 'NetworkPolicy']) assert.ok(!render.some((d) => d.kind === kind), kind);
    assert.ok(!render.some((d) => d.kind === 'Service' && d.apiVersion === 'v1'));
    assert.deepEqual(functions(render).map((s) => s.metadata.name).sort(), functions(base).map((s) => s.metadata.name).sort());
  });
});

describe('the functions in production', () => {
  // The overlay repeats the base's generated ConfigMaps (kustomize cannot share them), so a key
  // the base gained must be here too, or a pod that reads it never starts.
  test('every ConfigMap key a Service or pod reads exists in the overlay\'s render, and the ConfigMaps match the base\'s keys', () => {
    assertConfigMapRefsResolve(render);
    const keysOf = (docs: Resource[], prefix: string) => Object.keys(docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith(prefix))?.data ?? {}).sort();
    for (const prefix of ['public-urls-', 'staff-sign-in-']) assert.deepEqual(keysOf(render, prefix), keysOf(base, prefix), prefix);
  });
});

describe('the database', () => {
  test('three instances, PDBs by the operator, synchronous commit to one replica', () => {
    const { spec } = one('Cluster');
    assert.equal(spec.instances, 3);
    assert.equal(spec.enablePDB, true);
    assert.equal(spec.affinity.podAntiAffinityType, 'required');
    assert.equal(spec.postgresql.synchronous.number, 1);
  });

  test('WAL archiving and the nightly backup go to the same ObjectStore through the plugin', () => {
    const cluster = one('Cluster');
    const store = one('ObjectStore');
    const scheduled = one('ScheduledBackup');
    const archiver = cluster.spec.plugins.find((p: any) => p.isWALArchiver);
    assert.equal(archiver.name, 'barman-cloud.cloudnative-pg.io');
    assert.equal(archiver.parameters.barmanObjectName, store.metadata.name);
    assert.equal(scheduled.spec.cluster.name, cluster.metadata.name);
    assert.equal(scheduled.spec.method, 'plugin');
    assert.equal(scheduled.spec.pluginConfiguration.name, archiver.name);
    assert.match(store.spec.retentionPolicy, /^\d+[dwm]$/);
    assert.equal(cluster.spec.backup, undefined, 'no native barmanObjectStore (removed in CloudNativePG 1.32)');
  });

  test('memory settings fit the pod; pg_stat_statements on; no statement text logged', () => {
    const { spec } = one('Cluster');
    const mib = (q: string) => Number(/^(\d+)(Mi|Gi|MB|GB)$/.exec(q)![1]) * (/G/.test(q) ? 1024 : 1);
    const memory = mib(spec.resources.requests.memory);
    assert.equal(spec.resources.limits.memory, spec.resources.requests.memory, 'requests = limits: the database is not the first to be OOM-killed');
    const p = spec.postgresql.parameters;
    assert.ok(mib(p.shared_buffers) <= memory * 0.3, 'shared_buffers at most ~25% of the pod');
    assert.ok(mib(p.effective_cache_size) <= memory);
    assert.ok(mib(p.shared_buffers) + Number(p.max_connections) * mib(p.work_mem) <= memory, 'shared_buffers + a work_mem per connection fit');
    assert.ok(Object.keys(p).some((k) => k.startsWith('pg_stat_statements.')), 'a pg_stat_statements parameter makes the operator enable it');
    assert.equal(p.log_statement, 'none');
    assert.equal(p.log_min_error_statement, 'panic');
    assert.equal(p.log_parameter_max_length_on_error, '0');
  });

  test('the StatefulSet of knative/ logs no statement text either', () => {
    const args: string[] = containerOf(base.find((d) => d.kind === 'StatefulSet')!).args;
    assert.ok(args.includes('log_statement=none'));
    assert.ok(args.includes('log_min_error_statement=panic'));
  });
});

describe('the Pooler and the connection budget', () => {
  test('PgBouncer in transaction mode in front of the primary, its names in the server certificate', () => {
    const pooler = one('Pooler');
    const cluster = one('Cluster');
    assert.equal(pooler.spec.cluster.name, cluster.metadata.name);
    assert.equal(pooler.spec.type, 'rw');
    assert.equal(pooler.spec.pgbouncer.poolMode, 'transaction');
    const ns = pooler.metadata.namespace;
    for (const name of [pooler.metadata.name, `${pooler.metadata.name}.${ns}.svc`]) {
      assert.ok(cluster.spec.certificates.serverAltDNSNames.includes(name), `${name} in serverAltDNSNames`);
    }
  });

  test('every client pool fits the Pooler twice over; its server side fits the role limit and max_connections', () => {
    const pooler = one('Pooler');
    const cluster = one('Cluster');
    const rows = functions(render).map((svc) => ({
      name: svc.metadata.name,
      pool: Number(envOf(svc).get('PG_POOL_SIZE')?.value ?? 0),
      maxScale: Number(svc.spec.template.metadata.annotations['autoscaling.knative.dev/max-scale']),
    }));
    const clients = 2 * rows.reduce((sum, r) => sum + r.pool * r.maxScale, 0);
    const instances = pooler.spec.instances;
    const params = pooler.spec.pgbouncer.parameters;
    // Knative's Service balances connections over the Pooler's pods; assume the worst, one pod.
    assert.ok(clients <= Number(params.max_client_conn), `${clients} client connections > max_client_conn ${params.max_client_conn}`);
    const server = instances * (Number(params.default_pool_size) + Number(params.reserve_pool_size ?? 0));
    const role = cluster.spec.managed.roles.find((r: any) => r.name === 'booking_app');
    const maxConnections = Number(cluster.spec.postgresql.parameters.max_connections);
    // The owner (migrations), the operator's own connections, superuser_reserved_connections.
    const room = 10 + 10 + 3;
    console.log(`pooled budget: ${clients} client connections at a rollout -> ${server} server connections <= booking_app ${role.connectionLimit}; + ${room} <= max_connections ${maxConnections}`);
    // Each availability pod also holds one direct connection for its slot cache's LISTEN.
    const direct = rows.filter((r) => envOf(functions(render).find((s) => s.metadata.name === r.name)!).has('DATABASE_DIRECT_URL')).reduce((sum, r) => sum + r.maxScale, 0);
    assert.ok(direct > 0, 'the slot cache has no direct connection behind the Pooler');
    assert.ok(server + direct <= role.connectionLimit, `${server} pooled + ${direct} direct > booking_app's ${role.connectionLimit}`);
    assert.ok(role.connectionLimit + room <= maxConnections);
  });

  test('containerConcurrency is never more than one instance\'s pool can serve, here and in knative/', () => {
    for (const [where, docs] of [['production', render], ['knative/', base]] as const) {
      for (const svc of functions(docs).filter((s) => usesDatabase.includes(s.metadata.name))) {
        const pool = Number(envOf(svc).get('PG_POOL_SIZE')?.value);
        const cc = svc.spec.template.spec.containerConcurrency;
        assert.ok(cc <= pool, `${where} ${svc.metadata.name}: containerConcurrency ${cc} > PG_POOL_SIZE ${pool}`);
      }
    }
  });
});

describe('TLS', () => {
  test('every function that connects verifies the database against its CA, and sees only ca.crt', () => {
    const targets = [...connecting(render), render.find((d) => d.kind === 'Job')!];
    assert.ok(targets.length >= usesDatabase.length + 1);
    for (const d of targets) {
      const podSpec = d.spec.template.spec;
      const volume = podSpec.volumes?.find((v: any) => v.name === 'db-ca');
      assert.ok(volume, `${d.metadata.name} connects but has no db-ca volume: sslmode=verify-full fails without the CA`);
      assert.deepEqual(volume.secret.items, [{ key: 'ca.crt', path: 'ca.crt' }], `${d.metadata.name}: not the CA's private key`);
      assert.equal(volume.secret.secretName, `${one('Cluster').metadata.name}-ca`);
      assert.ok(containerOf(d).volumeMounts.some((m: any) => m.name === 'db-ca' && m.mountPath === '/etc/clinic/db-ca'));
    }
    assert.ok(!render.some((d) => d.kind === 'Service' && d.metadata.name === 'render-page' && d.spec.template.spec.volumes), 'render-page never connects');
  });

  test('Knative asks cert-manager for the external domains, from the ClusterIssuer in the overlay', () => {
    const issuer = one('ClusterIssuer');
    const certmanager = render.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'config-certmanager')!;
    const network = render.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'config-network')!;
    assert.equal(certmanager.metadata.namespace, 'knative-serving');
    assert.equal(network.metadata.namespace, 'knative-serving');
    assert.match(certmanager.data.issuerRef, new RegExp(`kind: ClusterIssuer\\s+name: ${issuer.metadata.name}`));
    assert.equal(network.data['external-domain-tls'], 'Enabled');
    assert.equal(network.data['http-protocol'], 'Redirected');
  });
});
