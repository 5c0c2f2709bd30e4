/**
 * The framework floor: a Functions Framework "hello" function and nothing else, served the way
 * our functions are (the framework's `testing` export, an Express app on node:http). Whatever
 * a project function costs above this is ours.
 */
import { http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';

http('hello', (_req, res) => {
  res.status(200).json({ hello: 'world' });
});

const server = getTestServer('hello');
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
