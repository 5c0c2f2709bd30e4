/**
 * The Node floor: a bare node:http server that answers the benchmarked paths by running the
 * same query files through pg-promise with a pool of the same size, and nothing else (no
 * framework, no validation beyond what the SQL needs, no routing table). The project's figure
 * divided by this one is what the project's own code costs on top of Node and the database.
 */
import domain from 'node:domain';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { floorDatabase, run, type BookingArgs } from '../queries';

const db = floorDatabase(process.env.DATABASE_URL!, Number(process.env.PG_POOL_SIZE || 10), process.env.K_SERVICE || 'bench-node-floor');
const staffToken = process.env.STAFF_TOKEN;
// The page function's HTML, captured by the bench from the real function once it has run it.
let page: Buffer | undefined;
const pageFile = process.env.BENCH_PAGE_FILE;
const pageHtml = () => (page ??= pageFile && existsSync(pageFile) ? readFileSync(pageFile) : undefined);

const json = (res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
};
const notFound = (res: ServerResponse) => json(res, 404, '{"error":"not_found"}');

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
  if (req.method === 'GET' && path === '/healthz') {
    await run.ping(db);
    return json(res, 200, '{"ok":true}');
  }
  if (req.method === 'GET' && (path === '/' || path === '/book')) {
    const html = pageHtml();
    if (!html) return notFound(res);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    return void res.end(html);
  }
  const slots = /^\/api\/doctors\/(\d+)\/slots$/.exec(path);
  if (req.method === 'GET' && slots) {
    const body = await run.slots(db, Number(slots[1]), query.get('date') ?? '');
    return body === null ? notFound(res) : json(res, 200, body);
  }
  if (req.method === 'POST' && path === '/api/appointments') {
    const booking = JSON.parse(await readBody(req)) as BookingArgs;
    const booked = await run.book(db, booking, '/functions/node-floor');
    if (booked.status !== 201) return json(res, booked.status, '{"error":"not_booked"}');
    // The stored body lacks the reference, which only its maker knows (as in the functions).
    return json(res, 201, `${booked.body!.slice(0, -1)},"reference":"${booked.reference}"}`, { Location: `/api/appointments/${booked.reference}` });
  }
  if (req.method === 'GET' && path === '/api/appointments') {
    if (req.headers.authorization !== `Bearer ${staffToken}`) return json(res, 401, '{"error":"unauthorized"}');
    return json(res, 200, await run.list(db, Number(query.get('limit') ?? 50), query.get('cursor') ?? undefined));
  }
  const lookup = /^\/api\/appointments\/([A-Za-z0-9_-]+)$/.exec(path);
  if (req.method === 'GET' && lookup) {
    const body = await run.lookup(db, lookup[1]);
    return body === null ? notFound(res) : json(res, 200, body);
  }
  notFound(res);
}

const respond = (req: IncomingMessage, res: ServerResponse) =>
  answer(req, res).catch((err) => {
    console.error(String(err));
    if (!res.headersSent) json(res, 500, '{"error":"internal"}');
    else res.end();
  });

/**
 * BENCH_FLOOR_DOMAIN=1: each request runs in its own node:domain, as the Functions Framework's
 * wrapHttpFunction runs every HTTP function (domain.create, d.run, process.nextTick), and
 * nothing else of the framework. What this costs over the plain floor is the domain's share of
 * the framework's cost, in the same run.
 */
const inDomain = process.env.BENCH_FLOOR_DOMAIN === '1';
const server = createServer((req, res) => {
  if (!inDomain) return void respond(req, res);
  const d = domain.create();
  d.on('error', () => res.end());
  d.run(() => process.nextTick(() => void respond(req, res)));
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close(() => db.$pool.end().finally(() => process.exit(0)));
  server.closeIdleConnections();
});
