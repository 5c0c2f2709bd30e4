import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pgPromise from 'pg-promise';

/**
 * Where the `.sql` files are: beside a bundle (`dist/.../sql`, copied by scripts/build.ts)
 * or, when running from source, `db/sql` at the repository root. Tests and bundles read the
 * same files either way.
 */
function findSqlRoot(): string {
  // Found by where this code is, never by a variable: the files belong to the code that reads them.
  const candidates = [join(__dirname, 'sql'), join(__dirname, '..', '..', '..', 'db', 'sql')];
  const found = candidates.find((dir) => existsSync(join(dir, 'health', 'ping.sql')));
  if (!found) throw new Error(`SQL files not found; looked in ${candidates.join(', ')}`);
  return found;
}

const root = findSqlRoot();

/** Loads one query file once; a file with an error fails at start, not on first use. */
export function sqlFile(relativePath: string): pgPromise.QueryFile {
  const file = new pgPromise.QueryFile(join(root, relativePath), { minify: true, noWarnings: true });
  if (file.error) throw file.error;
  return file;
}
