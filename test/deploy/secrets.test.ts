import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parseYaml, root } from './manifests';

/**
 * Secrets exist only in the cluster (scripts/deploy generates them) and in .data/ on a
 * developer's machine (ignored by git). Nothing in the repository may hold one: not committed,
 * and not about to be (untracked files that git would pick up are read too).
 */

function repositoryFiles(): string[] {
  return execFileSync('git', ['-C', root, 'ls-files', '--cached', '--others', '--exclude-standard', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
}

function text(file: string): string | undefined {
  try {
    const buffer = readFileSync(join(root, file));
    return buffer.includes(0) ? undefined : buffer.toString('utf8');
  } catch {
    return undefined; // listed but deleted in the working tree
  }
}

function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  return [...counts.values()].reduce((h, n) => h - (n / value.length) * Math.log2(n / value.length), 0);
}

/** A value that looks generated: long, varied, and not a word or an identifier. */
function looksRandom(value: string): boolean {
  if (value.length < 16) return false;
  // Words joined by dashes (a test's 'staff-token-for-tests-0123456789') are made up, not generated.
  const segments = value.split(/[-_.~]/);
  if (segments.length >= 3 && segments.every((part) => part.length <= 3 || /^[a-z]*$/i.test(part) || /^\d*$/.test(part))) return false;
  if (/^[0-9a-f]+$/i.test(value)) return value.length >= 32 && entropy(value) > 3;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((re) => re.test(value)).length;
  return classes >= 2 && /[0-9]/.test(value) && entropy(value) > 3.5;
}

/** Secret-looking values in one file's text: assignments to password/token/secret keys, URLs with passwords, private keys. */
export function findSecrets(content: string): string[] {
  const found: string[] = [];
  const assignment = /(pass(?:word|wd)?|secret|token|api[_-]?key|credentials?)[\w-]*["']?\s*[:=]\s*["'`]?([A-Za-z0-9+/_\-.~]{16,}={0,2})/gi;
  for (const m of content.matchAll(assignment)) if (looksRandom(m[2])) found.push(`${m[1]}...=${m[2].slice(0, 6)}…`);
  for (const m of content.matchAll(/[a-z][a-z0-9+.-]*:\/\/[^\s:/@'"`]+:([^\s@/'"`]+)@/gi)) if (looksRandom(m[1])) found.push(`a URL with password ${m[1].slice(0, 6)}…`);
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(content)) found.push('a private key');
  return found;
}

describe('no secret in the repository', () => {
  test('the detector finds what it looks for (it is not vacuous)', () => {
    const hex = randomBytes(32).toString('hex');
    // A digit is guaranteed: the detector wants one (and 1 in 250 random strings has none).
    const b64 = `${randomBytes(24).toString('base64url')}7Q`;
    assert.equal(findSecrets(`postgres-password: ${hex}`).length, 1);
    assert.equal(findSecrets(`  STAFF_TOKEN="${b64}"`).length, 1);
    assert.equal(findSecrets(`DATABASE_URL=postgres://booking_app:${hex}@postgres:5432/healthcare`).length, 1);
    assert.deepEqual(findSecrets('key: app-password\nPGPASSWORD: cluster.secrets.superuser\nowner-password=$owner_password\ntoken: staff-token'), []);
    assert.deepEqual(findSecrets("const STAFF_TOKEN = 'staff-token-for-tests-0123456789';"), [], 'a readable test fixture');
  });

  test('no tracked or addable file holds a password, token, key or a URL with a password', () => {
    const hits = repositoryFiles().flatMap((file) => {
      const content = text(file);
      return content === undefined || file === 'package-lock.json' ? [] : findSecrets(content).map((hit) => `${file}: ${hit}`);
    });
    assert.deepEqual(hits, []);
  });

  test('no Kubernetes Secret with data anywhere in the repository, and no secretGenerator', () => {
    for (const file of repositoryFiles().filter((f) => /\.ya?ml$/.test(f))) {
      const content = text(file);
      if (content === undefined) continue;
      for (const doc of parseYaml(content, file) as any[]) {
        if (doc?.kind === 'Secret') assert.ok(!doc.data && !doc.stringData, `${file}: a Secret with values`);
        if (doc?.kind === 'Kustomization') assert.ok(!doc.secretGenerator, `${file}: secretGenerator puts values in the repository`);
      }
    }
  });

  test('local passwords (.data/secrets.json) and env files are ignored by git', () => {
    for (const path of ['.data/secrets.json', '.data/pg/postgresql.conf']) {
      const ignored = spawnSync('git', ['-C', root, 'check-ignore', '-q', path]);
      assert.equal(ignored.status, 0, `${path} is not ignored`);
    }
  });
});
