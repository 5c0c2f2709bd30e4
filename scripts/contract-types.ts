import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..');
export const contractTypesPath = join(root, 'web', 'src', 'lib', 'api-contract.ts');

const header = `/**
 * The API's types, generated from api/openapi.yaml by openapi-typescript: do not edit by hand.
 * Regenerate with \`npm run contract:types\`; test/api/contract.test.ts fails when it is stale.
 */

`;

/** The widget's request and response types, as TypeScript source, from the one contract. */
export async function contractTypes(): Promise<string> {
  // ESM-only, and only ever needed here: loaded on demand.
  const { default: openapiTS, astToString } = await import('openapi-typescript');
  const doc = parse(readFileSync(join(root, 'api', 'openapi.yaml'), 'utf8'));
  return header + astToString(await openapiTS(doc));
}

if (require.main === module) {
  contractTypes().then(
    (source) => writeFileSync(contractTypesPath, source),
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
