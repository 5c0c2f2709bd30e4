/**
 * One function from source, served alone as its bundle would serve it (serveFunction), for
 * `--profile`: file paths in the CPU profile then say which package or file a sample is in.
 */
import { join } from 'node:path';
import type { FunctionModule } from '../../../../functions/core/server';

(async () => {
  const name = process.env.BENCH_FUNCTION;
  if (!name) throw new Error('BENCH_FUNCTION is not set');
  const mod = (await import(join(__dirname, '..', '..', '..', '..', 'functions', name, 'index'))) as { default: FunctionModule };
  const { serveFunction } = await import('../../../../functions/core/server');
  serveFunction(mod.default);
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
