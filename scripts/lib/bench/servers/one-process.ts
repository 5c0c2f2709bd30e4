/**
 * Every function in one process, as `npm start` serves them: createServer over functions/all.ts
 * on PORT against DATABASE_URL. A child of the bench, so the load generator has its own event loop.
 */
import { allFunctions } from '../../../../functions/all';
import { closeDatabase } from '../../../../functions/core/db';
import { createServer, stopGracefully } from '../../../../functions/core/server';

const server = createServer(allFunctions);
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
stopGracefully(server, closeDatabase, 5_000);
