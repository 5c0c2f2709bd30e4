import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { functionNames } from '../../scripts/build';
import { targetOf } from './bundle';
import { parseYaml, rendered, root, schemaErrors, secretsCreatedByDeploy, type Resource } from './manifests';

/**
 * scripts/deploy against stand-ins: a kubectl that records what it is asked to apply and
 * answers like a cluster where everything succeeds (its `kustomize` and `create --dry-run`
 * are the real kubectl's), and a docker that records builds and pushes. What is checked is
 * what the script would do to a cluster: the Secrets it makes, the images it builds, the order
 * it applies things in, and the manifests it applies.
 */

const REGISTRY = 'registry.example/clinic';
const NAMESPACE = 'clinic-test';

const fakeKubectl = `#!/usr/bin/env node
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const state = process.env.FAKE_STATE;
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(name + '='));
  return eq === undefined ? undefined : eq.slice(name.length + 1);
};
const record = (extra) => fs.appendFileSync(path.join(state, 'calls.jsonl'), JSON.stringify({ args, ...extra }) + '\\n');
const real = () => process.exit(spawnSync(process.env.REAL_KUBECTL, args, { stdio: 'inherit' }).status ?? 1);
const [verb, kind, name] = args;
if (verb === 'kustomize' || verb === 'create') { record(); real(); }
if (verb === 'config') { process.stdout.write('fake-context\\n'); process.exit(0); }
if (verb === 'get') {
  record();
  if (kind === 'crd') process.exit(0);
  if (kind === 'job') { process.stdout.write('Complete '); process.exit(0); }
  if (kind === 'secret') {
    const file = path.join(state, 'secret-' + name + '.json');
    if (!fs.existsSync(file)) { process.stderr.write('Error from server (NotFound): secrets "' + name + '" not found\\n'); process.exit(1); }
    if ((opt('-o') || '').startsWith('go-template')) process.stdout.write(Object.keys(JSON.parse(fs.readFileSync(file, 'utf8'))).join('\\n') + '\\n');
    process.exit(0);
  }
  if (kind === 'ksvc') {
    if (!fs.existsSync(path.join(state, 'functions-applied'))) { process.stderr.write('NotFound\\n'); process.exit(1); }
    process.stdout.write('https://' + name + '.' + opt('--namespace') + '.example.com');
    process.exit(0);
  }
  process.exit(1);
}
if (verb === 'apply') {
  const file = opt('-f');
  const text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
  const saved = 'apply-' + String(fs.readdirSync(state).filter((f) => f.startsWith('apply-')).length).padStart(2, '0') + '.yaml';
  fs.writeFileSync(path.join(state, saved), text);
  record({ saved });
  if (/^kind: Secret$/m.test(text)) {
    const lines = text.split('\\n');
    const data = {};
    for (let i = lines.indexOf('data:') + 1; i < lines.length && lines[i].startsWith('  '); i++) {
      const [key, value] = lines[i].trim().split(': ');
      data[key] = value;
    }
    const secretName = /^metadata:\\n(?:  .*\\n)*?  name: (.+)$/m.exec(text)[1];
    fs.writeFileSync(path.join(state, 'secret-' + secretName + '.json'), JSON.stringify(data));
  }
  if (!opt('--selector') && /^apiVersion: serving.knative.dev\\/v1$/m.test(text)) fs.writeFileSync(path.join(state, 'functions-applied'), '');
  process.exit(0);
}
if (['version', 'rollout', 'delete', 'wait', 'logs'].includes(verb)) { record(); process.exit(0); }
record();
process.stderr.write('fake kubectl: unexpected: ' + args.join(' ') + '\\n');
process.exit(2);
`;

// The one docker answer deploy reads: the base image's digest (a stand-in, for the test only).
const FAKE_DIGEST = 'sha256:' + 'ab'.repeat(32);
const fakeDocker = `#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_STATE/docker.log"
if [ "$1 $2" = "image inspect" ]; then echo "node@${FAKE_DIGEST}"; fi
`;

let bin: string;
let realKubectl: string;
const scratch: string[] = [];

before(() => {
  realKubectl = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
  bin = mkdtempSync(join(tmpdir(), 'deploy-bin-'));
  writeFileSync(join(bin, 'kubectl'), fakeKubectl);
  writeFileSync(join(bin, 'docker'), fakeDocker);
  chmodSync(join(bin, 'kubectl'), 0o755);
  chmodSync(join(bin, 'docker'), 0o755);
});
after(() => {
  for (const dir of [bin, ...scratch]) rmSync(dir, { recursive: true, force: true });
});

function newState(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deploy-state-'));
  scratch.push(dir);
  return dir;
}

interface Run {
  status: number | null;
  output: string;
  calls: Array<{ args: string[]; saved?: string }>;
  docker: string[];
  /** The files applied in this run, in order. */
  applied: Array<{ selector?: string; text: string }>;
}

function deploy(state: string, env: Record<string, string>): Run {
  // Only this run's records: the state (Secrets, Services) carries over between runs.
  for (const f of readdirSync(state)) if (f.startsWith('apply-') || f === 'calls.jsonl' || f === 'docker.log') rmSync(join(state, f));
  const run = spawnSync('bash', [join(root, 'scripts', 'deploy')], {
    encoding: 'utf8',
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: state, FAKE_STATE: state, REAL_KUBECTL: realKubectl, ...env },
  });
  const read = (f: string) => (existsSync(join(state, f)) ? readFileSync(join(state, f), 'utf8') : '');
  const calls = read('calls.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  return {
    status: run.status,
    output: run.stdout + run.stderr,
    calls,
    docker: read('docker.log').split('\n').filter(Boolean),
    applied: calls
      .filter((c: { saved?: string }) => c.saved)
      .map((c: { args: string[]; saved: string }) => {
        const i = c.args.indexOf('--selector');
        return { selector: i >= 0 ? c.args[i + 1] : undefined, text: read(c.saved) };
      }),
  };
}

const secretOf = (state: string, name: string): Record<string, string> =>
  Object.fromEntries(Object.entries(JSON.parse(readFileSync(join(state, `secret-${name}.json`), 'utf8')) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
const renders = (run: Run) => run.applied.filter((a) => /^kind: Kustomization|^apiVersion: serving/m.test(a.text) || a.selector);
const docsOf = (text: string): Resource[] => parseYaml(text, 'applied');
const publicUrls = (docs: Resource[]) => docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name.startsWith('public-urls-'))!.data;

describe('scripts/deploy', () => {
  const state = newState();
  let first: Run;

  before(() => {
    first = deploy(state, { REGISTRY: `${REGISTRY}/`, NAMESPACE, SEED_DEMO: 'true' });
  });

  test('a first deploy succeeds', () => {
    assert.equal(first.status, 0, first.output);
  });

  test('creates db-secret and staff-secret with fresh random values and URLs built from them, and never prints them', () => {
    const db = secretOf(state, 'db-secret');
    const staff = secretOf(state, 'staff-secret');
    assert.deepEqual(Object.keys(db).sort(), [...secretsCreatedByDeploy().get('db-secret')!].sort());
    const random = [db['postgres-password'], db['owner-password'], db['app-password'], staff['staff-token']];
    for (const value of random) assert.match(value, /^[0-9a-f]{64}$/);
    assert.equal(new Set(random).size, random.length, 'every value is its own');
    assert.equal(db['owner-database-url'], `postgres://booking_owner:${db['owner-password']}@postgres.${NAMESPACE}.svc:5432/healthcare`);
    assert.equal(db['app-database-url'], `postgres://booking_app:${db['app-password']}@postgres.${NAMESPACE}.svc:5432/healthcare`);
    for (const value of random) assert.ok(!first.output.includes(value), 'a secret value was printed');
    // Created through `kubectl create secret generic ... --dry-run=client -o yaml | kubectl apply`.
    const creates = first.calls.filter((c) => c.args[0] === 'create' && c.args[1] === 'secret');
    assert.deepEqual(creates.map((c) => c.args[3]), ['db-secret', 'staff-secret', 'patient-data-secret', 'mail-secret']);
    // The mail server is the operator's: SMTP_URL at deploy time (unset in this run), never generated.
    assert.deepEqual(secretOf(state, 'mail-secret'), { 'smtp-url': '' });
    const patientKey = secretOf(state, 'patient-data-secret')['patient-data-key'];
    assert.equal(Buffer.from(patientKey, 'base64').length, 32, 'the patient data key is base64 of 32 bytes');
    assert.ok(!first.output.includes(patientKey), 'the patient data key was printed');
    for (const c of creates) assert.ok(c.args.includes('--dry-run=client') && c.args.includes('yaml'));
    assert.ok(!creates.some((c) => c.args.some((a) => random.some((v) => a.includes(v)))), 'a secret value on a command line');
  });

  test('builds and pushes one image per function, and the migrate image, tagged with the commit', () => {
    const sha = execFileSync('git', ['-C', root, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).trim();
    const builds = first.docker.filter((l) => l.startsWith('build '));
    // Every image is built on the Dockerfile's base, pinned to the digest the registry gave.
    const tagged = /^ARG NODE_IMAGE=(\S+)$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'))![1];
    assert.ok(first.docker.includes(`pull --quiet ${tagged}`));
    const nodeImage = `${tagged}@${FAKE_DIGEST}`;
    const tag = /--tag \S+:(\S+)/.exec(builds[0])![1];
    assert.match(tag, new RegExp(`^${sha}(-dirty-\\d+)?$`));
    for (const name of functionNames()) {
      assert.ok(builds.includes(`build --build-arg NODE_IMAGE=${nodeImage} --build-arg FUNCTION=${name} --tag ${REGISTRY}/${name}:${tag} ${root}`), name);
      assert.ok(first.docker.includes(`push ${REGISTRY}/${name}:${tag}`), name);
    }
    assert.ok(builds.includes(`build --build-arg NODE_IMAGE=${nodeImage} --target migrate --tag ${REGISTRY}/migrate:${tag} ${root}`));
    assert.ok(first.docker.includes(`push ${REGISTRY}/migrate:${tag}`));
    assert.equal(builds.length, functionNames().length + 1);
  });

  test('applies the database, then the migration Job (after deleting the last one), then the rest', () => {
    const order = renders(first).map((a) => a.selector ?? 'all');
    assert.deepEqual(order, ['app.kubernetes.io/component=database', 'app.kubernetes.io/component=migration', 'all', 'all']);
    const verbs = first.calls.map((c) => c.args.slice(0, 2).join(' '));
    const deleteJob = verbs.indexOf('delete job');
    assert.ok(deleteJob > verbs.indexOf('rollout status') && deleteJob < first.calls.findIndex((c) => c.args.includes('app.kubernetes.io/component=migration')));
    assert.ok(verbs.includes('wait --namespace'), 'waits for the Services');
  });

  test('what it applies validates, in its namespace, with every image from the registry', () => {
    const docs = docsOf(renders(first).at(-1)!.text);
    assert.deepEqual(rendered(docs, 'applied').flatMap(schemaErrors), []);
    assert.deepEqual([...new Set(docs.map((d) => d.metadata.namespace))], [NAMESPACE]);
    const ours = docs.flatMap((d) => (d.spec?.template?.spec?.containers ?? []).map((c: { image: string }) => c.image)).filter((i: string) => !/^(postgres|gcr\.io\/knative-releases)/.test(i));
    assert.equal(ours.length, functionNames().length + 1);
    for (const image of ours) assert.match(image, new RegExp(`^${REGISTRY}/[a-z-]+:\\S+$`));
    const job = docs.find((d) => d.kind === 'Job')!;
    assert.deepEqual(job.spec.template.spec.containers[0].env.filter((e: { name: string }) => e.name === 'SEED_DEMO'), [{ name: 'SEED_DEMO', value: 'true' }]);
  });

  test('the first rollout has no public URLs; the second gives the page the API URLs and the API the page origin', () => {
    const [firstAll, secondAll] = renders(first).filter((a) => !a.selector);
    assert.deepEqual(Object.values(publicUrls(docsOf(firstAll.text))), ['', '', '', '', '', '', '', '', '']);
    const urls = publicUrls(docsOf(secondAll.text));
    assert.deepEqual(urls, {
      ALLOWED_ORIGINS: `https://render-page.${NAMESPACE}.example.com`,
      AVAILABILITY_URL: `https://availability.${NAMESPACE}.example.com`,
      CREATE_BOOKING_URL: `https://create-booking.${NAMESPACE}.example.com`,
      LIST_APPOINTMENTS_URL: `https://list-appointments.${NAMESPACE}.example.com`,
      CANCEL_BOOKING_URL: `https://cancel-booking.${NAMESPACE}.example.com`,
      RESCHEDULE_BOOKING_URL: `https://reschedule-booking.${NAMESPACE}.example.com`,
      FRONT_DESK_URL: `https://front-desk.${NAMESPACE}.example.com`,
      STAFF_AUDIT_URL: `https://staff-audit.${NAMESPACE}.example.com`,
      ADMIN_SCHEDULE_URL: `https://admin-schedule.${NAMESPACE}.example.com`,
    });
  });

  test('a redeploy keeps the Secrets, builds nothing with SKIP_BUILD, and applies once with the known URLs', () => {
    const before = { db: secretOf(state, 'db-secret'), staff: secretOf(state, 'staff-secret') };
    const again = deploy(state, { REGISTRY, NAMESPACE, TAG: 'v2', SKIP_BUILD: '1' });
    assert.equal(again.status, 0, again.output);
    assert.deepEqual({ db: secretOf(state, 'db-secret'), staff: secretOf(state, 'staff-secret') }, before);
    assert.ok(!again.applied.some((a) => /^kind: Secret$/m.test(a.text)), 'applied a Secret');
    assert.match(again.output, /Secret db-secret exists; kept as it is/);
    assert.deepEqual(again.docker, []);
    const all = renders(again).filter((a) => !a.selector);
    assert.equal(all.length, 1);
    const docs = docsOf(all[0].text);
    assert.equal(publicUrls(docs).ALLOWED_ORIGINS, `https://render-page.${NAMESPACE}.example.com`);
    assert.ok(docs.filter((d) => d.kind === 'Service' && d.apiVersion === 'serving.knative.dev/v1' && d.metadata.labels?.['app.kubernetes.io/component'] === 'function').every((d) => d.spec.template.spec.containers[0].image.endsWith(':v2')));
    assert.equal(docs.find((d) => d.kind === 'Job')!.spec.template.spec.containers[0].env.find((e: { name: string }) => e.name === 'SEED_DEMO').value, 'false');
  });

  test('PUBLIC_URLS_FILE replaces the discovered URLs, and must name every key', () => {
    const dir = newState();
    const file = join(dir, 'public-urls.env');
    const custom = 'ALLOWED_ORIGINS=https://book.clinic.example\nAVAILABILITY_URL=https://api.clinic.example\nCREATE_BOOKING_URL=https://api.clinic.example\nLIST_APPOINTMENTS_URL=https://api.clinic.example\nCANCEL_BOOKING_URL=https://api.clinic.example\nRESCHEDULE_BOOKING_URL=https://api.clinic.example\nFRONT_DESK_URL=https://api.clinic.example\nSTAFF_AUDIT_URL=https://api.clinic.example\nADMIN_SCHEDULE_URL=https://api.clinic.example\n';
    writeFileSync(file, custom);
    const run = deploy(state, { REGISTRY, NAMESPACE, SKIP_BUILD: '1', PUBLIC_URLS_FILE: file });
    assert.equal(run.status, 0, run.output);
    assert.equal(publicUrls(docsOf(renders(run).at(-1)!.text)).ALLOWED_ORIGINS, 'https://book.clinic.example');
    writeFileSync(file, 'ALLOWED_ORIGINS=https://book.clinic.example\n');
    const incomplete = deploy(state, { REGISTRY, NAMESPACE, SKIP_BUILD: '1', PUBLIC_URLS_FILE: file });
    assert.notEqual(incomplete.status, 0);
    assert.match(incomplete.output, /PUBLIC_URLS_FILE has no line AVAILABILITY_URL=/);
  });
});

describe('scripts/deploy refuses', () => {
  test('to run without REGISTRY', () => {
    const run = deploy(newState(), { NAMESPACE });
    assert.notEqual(run.status, 0);
    assert.match(run.output, /set REGISTRY/);
    assert.deepEqual(run.calls.filter((c) => c.args[0] === 'apply'), []);
  });

  test('to use an existing Secret that lacks a key, instead of overwriting it', () => {
    const state = newState();
    mkdirSync(state, { recursive: true });
    writeFileSync(join(state, 'secret-db-secret.json'), JSON.stringify({ 'postgres-password': 'eA==' }));
    const run = deploy(state, { REGISTRY, NAMESPACE, SKIP_BUILD: '1' });
    assert.notEqual(run.status, 0);
    assert.match(run.output, /Secret db-secret exists but has no key owner-password/);
    assert.ok(!run.applied.some((a) => /^kind: Secret$/m.test(a.text)));
  });
});
