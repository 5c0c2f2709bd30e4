import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(__dirname, '..', '..', '..');

/**
 * The bench's own servers, bundled the way scripts/build.ts bundles a function (esbuild,
 * minified CommonJS for node20, the SQL files beside the bundle), so the one-process server,
 * the Node floor and the framework floor run as the same kind of code as the function bundles
 * they are compared with, not through tsx's loader.
 */
export async function bundleServers(outdir: string, webDir?: string): Promise<Record<'one-process' | 'node-floor' | 'hello', string>> {
  const names = ['one-process', 'node-floor', 'hello'] as const;
  await build({
    entryPoints: Object.fromEntries(names.map((n) => [n, join(__dirname, 'servers', `${n}.ts`)])),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'error',
  });
  cpSync(join(root, 'db', 'sql'), join(outdir, 'sql'), { recursive: true });
  // The page's built assets, found beside the bundle as render-page looks for them.
  const web = [webDir, join(root, 'dist', 'web')].find((dir) => dir && existsSync(join(dir, 'manifest.json')));
  if (web) cpSync(web, join(outdir, 'web'), { recursive: true });
  return Object.fromEntries(names.map((n) => [n, join(outdir, `${n}.js`)])) as Record<(typeof names)[number], string>;
}

/** Runs a command in `cwd`; resolves with its exit code and everything it wrote. */
export function run(command: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.on('exit', (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Functions with a source folder and a bundle under dist/functions: what can be spawned as one instance. */
export function bundledFunctions(): string[] {
  const dir = join(root, 'dist', 'functions');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => existsSync(join(dir, name, 'index.js')) && existsSync(join(root, 'functions', name, 'index.ts')))
    .sort();
}
