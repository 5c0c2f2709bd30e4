import { databaseReadiness } from './db';
import { RETRY_AFTER_SECONDS } from './db/health';
import { route, sendJson } from './http';

/**
 * GET /healthz, the readiness probe of every database function: the state a background check
 * keeps (db/health.ts), so the probe answers at once and never queues behind the pool. 503
 * with the reason (unreachable, read_only, disk_full, pool_exhausted, overloaded, starting).
 */
export const healthRoute = route('GET', '/healthz', async ({ res }) => {
  const state = await databaseReadiness();
  if (state.ready) return sendJson(res, 200, { ok: true });
  sendJson(res, 503, { ok: false, reason: state.reason }, { 'Retry-After': String(RETRY_AFTER_SECONDS) });
});
