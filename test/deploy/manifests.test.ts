import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { functionNames } from '../../scripts/build';
import {
  assertConfigMapRefsResolve,
  containerOf,
  envOf,
  isKnativeService,
  knativeDir,
  kustomize,
  manifestsInRepo,
  parseYaml,
  rendered,
  root,
  schemaErrors,
  secretsCreatedByDeploy,
  unknownFields,
  type Located,
  type Resource,
} from './manifests';

const eventingDir = join(knativeDir, 'eventing');
/** The Services a browser calls: they need the page's origin in ALLOWED_ORIGINS. */
const apiFunctions = ['availability', 'create-booking', 'list-appointments', 'cancel-booking'];
/** API.md's rule for the functions and the image's USER (Dockerfile). */
const IMAGE_UID = 1000;

let inRepo: Located[];
let render: Resource[];
/** The functions' Knative Services (eventing/ adds one of its own, the dead-letter sink). */
let services: Resource[];
before(() => {
  inRepo = manifestsInRepo();
  render = kustomize(knativeDir);
  services = render.filter((d) => isKnativeService(d) && d.metadata.labels?.['app.kubernetes.io/component'] === 'function');
});

describe('schemas', () => {
  test('every manifest under knative/ validates against its Kubernetes or Knative schema', () => {
    assert.ok(inRepo.length > 0);
    assert.deepEqual(inRepo.flatMap(schemaErrors), []);
  });

  test('`kubectl kustomize knative/` renders, and every rendered object validates', () => {
    const kinds = new Map<string, number>();
    for (const d of render) kinds.set(`${d.apiVersion} ${d.kind}`, (kinds.get(`${d.apiVersion} ${d.kind}`) ?? 0) + 1);
    console.log(`kubectl kustomize knative/: ${render.length} objects: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    assert.deepEqual(rendered(render, 'render').flatMap(schemaErrors), []);
  });

  test('no manifest has a field its schema does not know (the API server would refuse or drop it)', () => {
    assert.deepEqual(unknownFields([...inRepo, ...rendered(render, 'render')]), []);
  });

  test('the unknown-field check catches a misplaced field (it is not vacuous)', () => {
    const svc = structuredClone(services.find((s) => s.metadata.name === 'availability')!);
    svc.spec.template.spec.containers[0].readinessProbe.path = '/healthz';
    svc.spec.template.spec.containers[0].lifecycle = { preStop: { exec: { command: ['sleep', '1'] } } };
    svc.spec.template.spec.securityContext = { runAsUser: 1000 };
    const errors = unknownFields([{ where: 'probe', doc: svc }]);
    assert.equal(errors.length, 3, errors.join('\n'));
    assert.match(errors.join('\n'), /containers\[0\]\.readinessProbe\.path/);
    assert.match(errors.join('\n'), /containers\[0\]\.lifecycle/);
    assert.match(errors.join('\n'), /spec\.template\.spec\.securityContext\.runAsUser/);
  });

  test('eventing/ is part of the kustomization once it exists, and its manifests are checked too', () => {
    const kustomization = parseYaml(readFileSync(join(knativeDir, 'kustomization.yaml'), 'utf8'), 'kustomization.yaml')[0] as any;
    if (!existsSync(join(eventingDir, 'kustomization.yaml'))) {
      assert.ok(!kustomization.resources.includes('eventing'), 'eventing is listed but knative/eventing/kustomization.yaml does not exist');
      return;
    }
    assert.ok(kustomization.resources.includes('eventing'), 'knative/kustomization.yaml must list eventing in resources');
    const own = kustomize(eventingDir);
    assert.ok(own.length > 0);
    for (const doc of own) {
      assert.ok(render.some((r) => r.kind === doc.kind && r.apiVersion === doc.apiVersion && r.metadata.name === doc.metadata.name), `${doc.kind}/${doc.metadata.name} of eventing/ is missing from the render`);
    }
  });
});

describe('Knative Services', () => {
  test('every function under functions/ has a Service, and every Service a function', () => {
    assert.deepEqual(services.map((s) => s.metadata.name).sort(), functionNames());
    for (const svc of render.filter(isKnativeService)) {
      const own = existsSync(join(root, 'functions', svc.metadata.name, 'index.ts'));
      assert.equal(svc.metadata.labels?.['app.kubernetes.io/component'] === 'function', own, `${svc.metadata.name}: component=function exactly when it is a function`);
    }
  });

  test('each Service runs its own image and sets the FUNCTION_TARGET its module registers', async () => {
    for (const svc of services) {
      const name = svc.metadata.name;
      const { default: fn } = await import(join(root, 'functions', name, 'index.ts'));
      assert.equal(fn.name, name);
      assert.equal(envOf(svc).get('FUNCTION_TARGET')?.value, fn.target, `${name}: FUNCTION_TARGET`);
      // The Dockerfile and scripts/deploy derive the target as the folder's camelCase.
      assert.equal(fn.target, name.replace(/-([a-z0-9])/g, (_: string, c: string) => c.toUpperCase()), `${name}: target is not its camelCase`);
      assert.equal(containerOf(svc).image, `clinic-booking/${name}`, `${name}: image name scripts/deploy rewrites`);
    }
  });

  test('autoscaling on concurrency with a target, a hard limit and a scale range', () => {
    for (const svc of services) {
      const name = svc.metadata.name;
      const a = svc.spec.template.metadata?.annotations ?? {};
      const cc = svc.spec.template.spec.containerConcurrency;
      assert.equal(a['autoscaling.knative.dev/metric'], 'concurrency', name);
      for (const key of ['target', 'min-scale', 'max-scale']) {
        assert.match(a[`autoscaling.knative.dev/${key}`] ?? '', /^\d+$/, `${name}: autoscaling.knative.dev/${key}`);
      }
      const [target, min, max] = ['target', 'min-scale', 'max-scale'].map((k) => Number(a[`autoscaling.knative.dev/${k}`]));
      assert.ok(Number.isInteger(cc) && cc > 0 && cc <= 1000, `${name}: containerConcurrency`);
      assert.ok(target >= 1 && target <= cc, `${name}: target ${target} must be at most containerConcurrency ${cc}`);
      assert.ok(max >= 1 && min <= max, `${name}: min-scale ${min}, max-scale ${max}`);
    }
  });

  test('the page, the API and audit-log scale to zero; outbox-relay stays warm for its PingSource', () => {
    const minScale = (name: string) => services.find((s) => s.metadata.name === name)?.spec.template.metadata.annotations['autoscaling.knative.dev/min-scale'];
    for (const name of [...apiFunctions, 'render-page', 'audit-log']) assert.equal(minScale(name), '0', name);
    assert.equal(minScale('outbox-relay'), '1');
  });

  test('only the page and the API are public; the event consumers are cluster-local', () => {
    for (const svc of services) {
      const local = svc.metadata.labels?.['networking.knative.dev/visibility'] === 'cluster-local';
      assert.equal(local, ['outbox-relay', 'audit-log', 'notify', 'send-reminders'].includes(svc.metadata.name), svc.metadata.name);
    }
  });

  test('readiness on /healthz, liveness on /livez (never the database: an outage restarts no pod), in the forms Knative accepts', () => {
    for (const svc of services) {
      const c = containerOf(svc);
      const name = svc.metadata.name;
      assert.equal(c.readinessProbe?.httpGet?.path, '/healthz', `${name}: readiness`);
      assert.equal(c.livenessProbe?.httpGet?.path, '/livez', `${name}: liveness`);
      // Knative's webhook: with periodSeconds 0 (its fast startup probing) these are refused.
      if (!c.readinessProbe.periodSeconds) {
        assert.equal(c.readinessProbe.failureThreshold, undefined, `${name}: readiness failureThreshold`);
        assert.equal(c.readinessProbe.timeoutSeconds, undefined, `${name}: readiness timeoutSeconds`);
      }
      // A port on a probe must be the serving port; none means the serving port.
      for (const probe of [c.readinessProbe, c.livenessProbe]) {
        assert.ok(probe.httpGet.port === undefined || probe.httpGet.port === c.ports?.[0]?.containerPort, `${name}: probe port`);
      }
    }
  });

  test('one container, at most one port, no reserved variables, resources and a non-root user', () => {
    for (const svc of services) {
      const name = svc.metadata.name;
      const spec = svc.spec.template.spec;
      assert.equal(spec.containers.length, 1, `${name}: Knative runs one container unless multi-container is enabled`);
      const c = spec.containers[0];
      assert.ok((c.ports ?? []).length <= 1, `${name}: ports`);
      for (const reserved of ['PORT', 'K_SERVICE', 'K_CONFIGURATION', 'K_REVISION']) {
        assert.ok(!envOf(svc).has(reserved), `${name}: Knative refuses ${reserved} in env`);
      }
      for (const kind of ['requests', 'limits']) {
        assert.ok(c.resources?.[kind]?.cpu && c.resources?.[kind]?.memory, `${name}: resources.${kind}`);
      }
      assert.equal(c.securityContext?.runAsNonRoot, true, `${name}: runAsNonRoot`);
      assert.equal(c.securityContext?.runAsUser, IMAGE_UID, `${name}: runAsUser is the image's USER`);
      assert.equal(c.securityContext?.allowPrivilegeEscalation, false, name);
      assert.equal(c.securityContext?.readOnlyRootFilesystem, true, name);
      assert.deepEqual(c.securityContext?.capabilities?.drop, ['ALL'], name);
      assert.equal(spec.volumes, undefined, `${name}: no volumes`);
    }
  });

  test('database, pool, staff token and CORS come from the Secrets and the public-urls ConfigMap', async () => {
    for (const svc of services) {
      const name = svc.metadata.name;
      const env = envOf(svc);
      const { default: fn } = await import(join(root, 'functions', name, 'index.ts'));
      if (fn.usesDatabase === false) {
        // Least privilege: a function that never queries gets no database credentials at all.
        assert.ok(!env.has('DATABASE_URL') && !env.has('PG_POOL_SIZE'), `${name} uses no database`);
        assert.ok(![...env.values()].some((e) => e.valueFrom?.secretKeyRef?.name === 'db-secret'), `${name}: db-secret`);
      } else {
        assert.deepEqual(env.get('DATABASE_URL')?.valueFrom?.secretKeyRef, { name: 'db-secret', key: 'app-database-url' }, `${name}: DATABASE_URL`);
        assert.match(env.get('PG_POOL_SIZE')?.value ?? '', /^\d+$/, `${name}: PG_POOL_SIZE`);
      }
      const origins = env.get('ALLOWED_ORIGINS')?.valueFrom?.configMapKeyRef;
      if (apiFunctions.includes(name)) {
        assert.equal(origins?.key, 'ALLOWED_ORIGINS', `${name}: ALLOWED_ORIGINS must hold the page's origin`);
        assert.match(origins?.name ?? '', /^public-urls-[a-z0-9]+$/, `${name}: the generated ConfigMap, by its hashed name`);
      }
    }
    const list = services.find((s) => s.metadata.name === 'list-appointments')!;
    assert.deepEqual(envOf(list).get('STAFF_TOKEN')?.valueFrom?.secretKeyRef, { name: 'staff-secret', key: 'staff-token' });
    const page = services.find((s) => s.metadata.name === 'render-page')!;
    for (const key of ['AVAILABILITY_URL', 'CREATE_BOOKING_URL', 'LIST_APPOINTMENTS_URL', 'CANCEL_BOOKING_URL', 'RESCHEDULE_BOOKING_URL', 'FRONT_DESK_URL', 'STAFF_AUDIT_URL', 'ADMIN_SCHEDULE_URL']) {
      assert.equal(envOf(page).get(key)?.valueFrom?.configMapKeyRef?.key, key, `render-page: ${key}`);
    }
  });

  test('every ConfigMap a Service or pod reads exists in the render, with the key it reads', () => {
    assertConfigMapRefsResolve(render);
  });

  test('everything lands in one namespace', () => {
    assert.deepEqual([...new Set(render.map((d) => d.metadata.namespace))], ['clinic-booking']);
  });
});

describe('secrets', () => {
  test('every secretKeyRef names a Secret and a key that scripts/deploy creates', () => {
    const created = secretsCreatedByDeploy();
    assert.deepEqual([...created.keys()].sort(), ['db-secret', 'mail-secret', 'patient-data-secret', 'staff-secret']);
    const refs = render.flatMap((d) =>
      (d.spec?.template?.spec?.containers ?? []).flatMap((c: any) => (c.env ?? []).flatMap((e: any) => (e.valueFrom?.secretKeyRef ? [{ from: `${d.kind}/${d.metadata.name} ${e.name}`, ...e.valueFrom.secretKeyRef }] : []))),
    );
    assert.ok(refs.length >= services.length);
    for (const ref of refs) {
      assert.ok(created.get(ref.name)?.has(ref.key), `${ref.from}: scripts/deploy creates no key ${ref.key} in Secret ${ref.name}`);
    }
  });

  test('no Secret object in the manifests: values exist only in the cluster', () => {
    for (const { where, doc } of manifestsInRepo()) {
      assert.notEqual(doc.kind, 'Secret', `${where} holds a Secret`);
      assert.ok(!('stringData' in doc) && !(doc.kind !== 'ConfigMap' && 'data' in doc), `${where}: data or stringData`);
    }
    assert.ok(!render.some((d) => d.kind === 'Secret'), 'the render holds a Secret (secretGenerator?)');
  });
});

describe('PostgreSQL', () => {
  const statefulSet = () => render.find((d) => d.kind === 'StatefulSet' && d.metadata.name === 'postgres')!;

  test('a pinned image, a volume claim, a headless Service and pg_isready probes', () => {
    const sts = statefulSet();
    const c = containerOf(sts);
    assert.match(c.image, /^postgres:\d+\.\d+-[a-z]+$/, 'pinned by major.minor and distribution');
    assert.equal(sts.spec.volumeClaimTemplates?.[0]?.metadata?.name, 'data');
    assert.ok(c.volumeMounts.some((m: any) => m.name === 'data' && m.mountPath === '/var/lib/postgresql'));
    const svc = render.find((d) => d.kind === 'Service' && d.apiVersion === 'v1' && d.metadata.name === sts.spec.serviceName)!;
    assert.equal(svc.spec.clusterIP, 'None');
    assert.deepEqual(svc.spec.selector, sts.spec.selector.matchLabels);
    for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
      assert.equal(c[probe]?.exec?.command?.[0], 'pg_isready', probe);
    }
  });

  test('runs as the image’s postgres user (999), never as root', () => {
    const sts = statefulSet();
    const pod = sts.spec.template.spec.securityContext;
    assert.deepEqual([pod.runAsNonRoot, pod.runAsUser, pod.runAsGroup, pod.fsGroup], [true, 999, 999, 999]);
    assert.equal(containerOf(sts).securityContext.allowPrivilegeEscalation, false);
  });

  test('credentials from db-secret, and the init script mounted where the entrypoint runs it', () => {
    const sts = statefulSet();
    const env = envOf(sts);
    assert.deepEqual(env.get('POSTGRES_PASSWORD')?.valueFrom?.secretKeyRef, { name: 'db-secret', key: 'postgres-password' });
    assert.deepEqual(env.get('BOOKING_OWNER_PASSWORD')?.valueFrom?.secretKeyRef, { name: 'db-secret', key: 'owner-password' });
    assert.deepEqual(env.get('BOOKING_APP_PASSWORD')?.valueFrom?.secretKeyRef, { name: 'db-secret', key: 'app-password' });
    const mount = containerOf(sts).volumeMounts.find((m: any) => m.mountPath === '/docker-entrypoint-initdb.d');
    const volume = sts.spec.template.spec.volumes.find((v: any) => v.name === mount.name);
    const cm = render.find((d) => d.kind === 'ConfigMap' && d.metadata.name === volume.configMap.name)!;
    assert.ok(cm, 'the init ConfigMap is in the render');
    const scripts = Object.keys(cm.data);
    assert.deepEqual(scripts.filter((f) => /\.(sh|sql|sql\.gz)$/.test(f)), ['10-clinic-roles.sh'], 'the entrypoint runs only the .sh');
    assert.equal(volume.configMap.defaultMode & 0o111, 0o111, 'executable, so the entrypoint runs it instead of sourcing it');
    assert.match(cm.data['10-clinic-roles.sh'], /clinic-roles\.psql/);
  });

  test('the migration Job runs the migrate image as the owner role, seeding only when asked', () => {
    const job = render.find((d) => d.kind === 'Job')!;
    const env = envOf(job);
    assert.equal(containerOf(job).image, 'clinic-booking/migrate');
    assert.deepEqual(env.get('DATABASE_OWNER_URL')?.valueFrom?.secretKeyRef, { name: 'db-secret', key: 'owner-database-url' });
    assert.equal(env.get('SEED_DEMO')?.value, 'false');
    assert.equal(job.spec.template.spec.securityContext.runAsUser, IMAGE_UID);
    assert.equal(job.metadata.labels?.['app.kubernetes.io/component'], 'migration', 'scripts/deploy applies it by this label');
    assert.equal(statefulSet().metadata.labels?.['app.kubernetes.io/component'], 'database', 'scripts/deploy applies it by this label');
  });
});

describe('connection budget', () => {
  test('every pool at max-scale, twice over during a rollout, fits under the app role limit and max_connections', () => {
    const args: string[] = containerOf(render.find((d) => d.kind === 'StatefulSet')!).args;
    const setting = (name: string) => Number(args.find((a) => a.startsWith(`${name}=`))?.split('=')[1]);
    const maxConnections = setting('max_connections');
    const superuserReserved = setting('superuser_reserved_connections');
    const psql = readFileSync(join(knativeDir, 'postgres', 'init', 'clinic-roles.psql'), 'utf8');
    const appLimit = Number(/CREATE ROLE booking_app\b[^;]*CONNECTION LIMIT (\d+)/.exec(psql)?.[1]);
    assert.ok(maxConnections > 0 && superuserReserved > 0 && appLimit > 0);

    const rows = services.map((svc) => ({
      name: svc.metadata.name,
      // No PG_POOL_SIZE: the function opens no connection (render-page).
      pool: Number(envOf(svc).get('PG_POOL_SIZE')?.value ?? 0),
      maxScale: Number(svc.spec.template.metadata.annotations['autoscaling.knative.dev/max-scale']),
    }));
    const steady = rows.reduce((sum, r) => sum + r.pool * r.maxScale, 0);
    // A rollout runs the old and the new revision side by side, each up to max-scale.
    const rollout = 2 * steady;
    // Migration Job (node-pg-migrate, then the seed) and an operator's psql.
    const ownerRoom = 10;
    console.log(`connection budget: ${rows.map((r) => `${r.name} ${r.pool}x${r.maxScale}`).join(' + ')} = ${steady}; rollout ${rollout} <= ${appLimit} (booking_app); ${appLimit} + ${ownerRoom} + ${superuserReserved} <= ${maxConnections}`);
    assert.ok(rollout <= appLimit, `rollout ${rollout} > booking_app CONNECTION LIMIT ${appLimit}`);
    assert.ok(appLimit + ownerRoom + superuserReserved <= maxConnections, 'no room left for the owner role');

    const readme = readFileSync(join(knativeDir, 'README.md'), 'utf8');
    for (const r of rows) assert.match(readme, new RegExp(`${r.name}\\s*\\|\\s*${r.pool}\\s*\\|\\s*${r.maxScale}\\s*\\|\\s*${r.pool * r.maxScale}\\b`), `README's budget table row for ${r.name}`);
    for (const n of [steady, rollout, appLimit, maxConnections]) assert.match(readme, new RegExp(`\\b${n}\\b`), `README mentions ${n}`);
  });
});
