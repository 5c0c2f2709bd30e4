/**
 * Every function in one process, as `npm start` serves them: createServer over functions/all.ts
 * on PORT against DATABASE_URL. A child of the bench, so the load generator has its own event loop.
 */
async function main(): Promise<void> {
  const { allFunctions } = await import('../../../../functions/all');
  const { createServer, stopGracefully } = await import('../../../../functions/core/server');
  const { closeDatabase } = await import('../../../../functions/core/db');
  const server = createServer(allFunctions);
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  stopGracefully(server, closeDatabase, 5_000);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
