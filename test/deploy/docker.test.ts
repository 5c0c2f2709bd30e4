import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { after, describe, test } from 'node:test';
import { functionNames } from '../../scripts/build';
import { root } from './manifests';

/**
 * There is no Docker engine here, so the Dockerfile is checked by construction: its stages are
 * parsed and their instructions checked, the shell check it runs is run, the paths it copies are
 * looked for in a real build, and that build is made from exactly the files .dockerignore lets
 * into the context.
 */

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  from: string;
  instructions: Instruction[];
}

function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const lines = text.replace(/\\\n/g, '\u0000').split('\n');
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  for (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, rest] = /^(\w+)\s+([\s\S]*)$/.exec(line)!;
    // Continuation lines keep their newline, as the shell sees them.
    const argsText = rest.replace(/\u0000/g, '\\\n');
    const upper = op.toUpperCase();
    if (upper === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(argsText)!;
      stages.push({ name: name ?? String(stages.length), from: image.replace(/\$\{(\w+)\}/g, (_, v) => args.get(v) ?? ''), instructions: [] });
    } else if (stages.length === 0) {
      assert.equal(upper, 'ARG', 'only ARG before the first FROM');
      const [name, value = ''] = argsText.split('=');
      args.set(name, value);
    } else {
      stages.at(-1)!.instructions.push({ op: upper, args: argsText });
    }
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const stage = (name: string) => {
  const found = dockerfile.stages.find((s) => s.name === name);
  assert.ok(found, `no stage ${name}`);
  return found;
};
/** A stage's instructions, its parent stages' first. */
function effective(name: string): Instruction[] {
  const s = stage(name);
  const parent = dockerfile.stages.find((p) => p.name === s.from);
  return [...(parent ? effective(parent.name) : []), ...s.instructions];
}
const last = (name: string, op: string) => effective(name).filter((i) => i.op === op).at(-1)?.args;
const envOf = (name: string) =>
  new Map(effective(name).filter((i) => i.op === 'ENV').flatMap((i) => i.args.split(/\s+/).map((kv) => kv.split('=') as [string, string])));
const copies = (name: string) =>
  stage(name).instructions.filter((i) => i.op === 'COPY').map((i) => {
    const parts = i.args.split(/\s+/);
    return { from: parts.find((p) => p.startsWith('--from='))?.slice(7), src: parts.filter((p) => !p.startsWith('--')).slice(0, -1) };
  });

describe('Dockerfile', () => {
  test('base images are pinned to an exact Node 22 release, never latest', () => {
    const bases = dockerfile.stages.filter((s) => !dockerfile.stages.some((o) => o.name === s.from)).map((s) => s.from);
    assert.ok(bases.length > 0);
    for (const image of bases) assert.match(image, /^node:22\.\d+\.\d+-bookworm-slim$|@sha256:[0-9a-f]{64}$/, image);
  });

  test('the default target is a function image: non-root, production, node index.js, no target to keep in step', () => {
    const fn = dockerfile.stages.at(-1)!;
    assert.equal(fn.name, 'function');
    const user = last('function', 'USER') ?? '';
    assert.match(user, /^\d+(:\d+)?$/, 'USER by number, so runAsNonRoot can be checked');
    assert.notEqual(Number(user.split(':')[0]), 0);
    const env = envOf('function');
    assert.equal(env.get('NODE_ENV'), 'production');
    assert.equal(env.get('FUNCTION_TARGET'), undefined, 'the bundle knows its target; the Knative Service may still check it');
    assert.equal(env.get('PORT'), '8080');
    assert.deepEqual(JSON.parse(last('function', 'CMD')!), ['node', 'index.js']);
    assert.ok(effective('function').some((i) => i.op === 'ARG' && i.args === 'FUNCTION'));
  });

  test('runtime images get only the built folder: no npm install, no node_modules, no sources', () => {
    for (const name of ['function', 'migrate']) {
      const runs = effective(name).filter((i) => i.op === 'RUN').map((i) => i.args);
      assert.ok(!runs.some((r) => /\b(npm|npx|yarn)\s+(ci|install|i|add)\b/.test(r)), `${name}: installs packages`);
      for (const c of copies(name)) {
        assert.ok(c.from, `${name}: copies from the build context`);
        for (const src of c.src) assert.match(src, /^\/src\/dist\/(functions\/\$\{FUNCTION\}|migrate)\/$/, `${name}: copies ${src}`);
      }
    }
    assert.deepEqual(JSON.parse(last('migrate', 'CMD')!), ['node', 'index.js']);
    assert.match(last('migrate', 'USER') ?? '', /^[1-9]\d*(:\d+)?$/);
  });

  test('the folders it copies exist after npm run build, each self-contained', () => {
    const workdir = last('build', 'WORKDIR');
    assert.equal(workdir, '/src');
    const names = functionNames();
    assert.ok(names.length >= 7, names.join(' '));
    for (const name of names) {
      const dir = join(root, 'dist', 'functions', name);
      assert.ok(existsSync(join(dir, 'index.js')), `dist/functions/${name}/index.js`);
      assert.ok(existsSync(join(dir, 'sql', 'health', 'ping.sql')), `${name}: its SQL beside it`);
      assert.ok(!existsSync(join(dir, 'node_modules')), `${name}: no node_modules`);
    }
    assert.ok(existsSync(join(root, 'dist', 'migrate', 'index.js')));
    assert.ok(readdirSync(join(root, 'dist', 'migrate', 'migrations')).some((f) => f.endsWith('.sql')));
  });

  test('the bundle check accepts each function and refuses anything else', () => {
    const check = stage('function-bundle').instructions.find((i) => i.op === 'RUN')!.args;
    const run = (env: Record<string, string>) =>
      spawnSync('sh', ['-c', check], { cwd: root, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    for (const name of functionNames()) {
      const ok = run({ FUNCTION: name });
      assert.equal(ok.status, 0, `${name}: ${ok.stderr}`);
    }
    const missing = run({});
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /Pass --build-arg FUNCTION=<name>, one of: .*create-booking/);
    assert.equal(run({ FUNCTION: 'no-such-thing' }).status, 1);
  });
});

describe('.dockerignore', () => {
  interface Rule {
    negate: boolean;
    re: RegExp;
    pattern: string;
  }
  const rules: Rule[] = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const pattern = posix.normalize(line.slice(negate ? 1 : 0).replace(/^\/+/, '')).replace(/\/+$/, '');
      let re = '';
      for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === '*' && pattern[i + 1] === '*') {
          i++;
          if (pattern[i + 1] === '/') {
            i++;
            re += '(?:.*/)?';
          } else re += '.*';
        } else if (c === '*') re += '[^/]*';
        else if (c === '?') re += '[^/]';
        else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      }
      return { negate, re: new RegExp(`^${re}$`), pattern };
    });

  /** Docker's rule: a path is out when the last pattern matching it or one of its parents excludes. */
  function excluded(path: string): boolean {
    const parts = path.split('/');
    const candidates = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    let out = false;
    for (const r of rules) if (candidates.some((c) => r.re.test(c))) out = !r.negate;
    return out;
  }

  /** The files `docker build .` would send from this working tree. */
  function context(dir = ''): string[] {
    return readdirSync(join(root, dir)).flatMap((name) => {
      const path = dir ? `${dir}/${name}` : name;
      if (statSync(join(root, path)).isDirectory()) {
        const reopened = rules.some((r) => r.negate && r.pattern.startsWith(`${path}/`));
        return excluded(path) && !reopened ? [] : context(path);
      }
      return excluded(path) ? [] : [path];
    });
  }

  let scratch: string | undefined;
  after(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  test('keeps out dependencies, build output, local data and its passwords, git, tests', () => {
    for (const path of ['node_modules/pg/package.json', 'dist/start.js', '.data/secrets.json', '.git/HEAD', 'test/deploy/docker.test.ts', 'knative/README.md', 'functions/core/node_modules/x.js', '.env', 'scripts/.env.local']) {
      assert.ok(excluded(path), `${path} is sent to the builder`);
    }
    for (const path of ['package.json', 'package-lock.json', 'tsconfig.json', 'scripts/build.ts', 'functions/core/server.ts', 'db/sql/health/ping.sql', 'web/src/api.ts']) {
      assert.ok(!excluded(path), `${path} is left out`);
    }
  });

  test('the build succeeds from exactly the files it lets in', { timeout: 120_000 }, () => {
    const files = context();
    assert.ok(!files.some((f) => /(^|\/)(node_modules|dist|\.data|\.git)\//.test(f)), 'context holds generated or local files');
    scratch = mkdtempSync(join(tmpdir(), 'docker-context-'));
    for (const file of files) {
      mkdirSync(dirname(join(scratch, file)), { recursive: true });
      cpSync(join(root, file), join(scratch, file));
    }
    // Stands in for the image's `npm ci`: the same locked dependencies.
    symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    const build = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts'], { cwd: scratch, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    assert.equal(build.status, 0, `${build.stdout}\n${build.stderr}`);
    for (const name of functionNames()) assert.ok(existsSync(join(scratch, 'dist', 'functions', name, 'index.js')), `dist/functions/${name}/index.js`);
    assert.ok(existsSync(join(scratch, 'dist', 'migrate', 'index.js')), 'dist/migrate/index.js');
  });
});
