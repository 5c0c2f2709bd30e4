import type { AddressInfo } from 'node:net';

/**
 * One server of scripts/bench-metrics.ts: every function in one process, as `npm start`
 * serves them, with metric recording on or off (argv[2]). Prints its port, then serves until
 * killed.
 */
async function main(): Promise<void> {
  const { setRecording } = await import('../../../functions/core/metrics');
  if (process.argv[2] === 'off') setRecording(false);
  const { allFunctions } = await import('../../../functions/all');
  const { createServer } = await import('../../../functions/core/server');
  const server = createServer(allFunctions);
  server.keepAliveTimeout = 65_000;
  server.listen(0, '127.0.0.1', () => process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
