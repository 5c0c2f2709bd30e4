import { cpSync, existsSync } from 'node:fs';
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
