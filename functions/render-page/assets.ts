import { existsSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';

/** One built file, held in memory with its pre-compressed forms (see scripts/build-web.ts). */
export interface Asset {
  type: string;
  identity: Buffer;
  gzip?: Buffer;
  br?: Buffer;
}

export interface Assets {
  /** Logical name ("index.js") to hashed file name ("index-3FZ2K4QX.js"). */
  manifest: Readonly<Record<string, string>>;
  /** Hashed file name to its contents; only files named by the manifest are here. */
  files: ReadonlyMap<string, Asset>;
}

const types: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Where the built web assets are: beside this function's bundle (`dist/functions/render-page/web`),
 * beside `dist/start.js` (`dist/web`), or, running from source, the repository's `dist/web`.
 */
function findAssetDir(): string {
  const candidates = [process.env.WEB_ASSETS_DIR, join(__dirname, 'web'), join(__dirname, '..', '..', 'dist', 'web')].filter(
    (dir): dir is string => Boolean(dir),
  );
  const found = candidates.find((dir) => existsSync(join(dir, 'manifest.json')));
  if (!found) throw new Error(`web assets not found (run npm run build); looked in ${candidates.join(', ')}`);
  return found;
}

function readIfPresent(path: string): Buffer | undefined {
  return existsSync(path) ? readFileSync(path) : undefined;
}

function loadAssets(): Assets {
  const dir = findAssetDir();
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Record<string, string>;
  const files = new Map<string, Asset>();
  for (const file of Object.values(manifest)) {
    if (!/^[\w.-]+$/.test(file)) throw new Error(`web manifest names an odd file: ${file}`);
    const path = join(dir, file);
    files.set(file, {
      type: types[extname(file)] ?? 'application/octet-stream',
      identity: readFileSync(path),
      gzip: readIfPresent(`${path}.gz`),
      br: readIfPresent(`${path}.br`),
    });
  }
  return { manifest: Object.freeze(manifest), files };
}

let loaded: Assets | undefined;

/** The built assets, read from disk once, on first use. */
export function assets(): Assets {
  loaded ??= loadAssets();
  return loaded;
}

/** The content codings an Accept-Encoding header accepts (q > 0), lower-cased. */
export function acceptedEncodings(header: string | string[] | undefined): Set<string> {
  const accepted = new Set<string>();
  const refused = new Set<string>();
  for (const item of String(header ?? '').split(',')) {
    const [name, ...params] = item.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    (q !== undefined && Number(q) === 0 ? refused : accepted).add(name);
  }
  if (accepted.has('*')) for (const coding of ['br', 'gzip']) if (!refused.has(coding)) accepted.add(coding);
  return accepted;
}

/** The best stored form of `asset` for the client: brotli, then gzip, then as is. */
export function pickEncoding(asset: Asset, acceptEncoding: string | string[] | undefined): { coding?: 'br' | 'gzip'; body: Buffer } {
  const accepted = acceptedEncodings(acceptEncoding);
  if (asset.br && accepted.has('br')) return { coding: 'br', body: asset.br };
  if (asset.gzip && accepted.has('gzip')) return { coding: 'gzip', body: asset.gzip };
  return { body: asset.identity };
}
