import { database, databaseAnswers } from './db';
import { route, sendJson } from './http';

/** GET /healthz, on every function: 200 once the database answers, 503 otherwise. */
export const healthRoute = route('GET', '/healthz', async ({ res }) => {
  const ok = await databaseAnswers(database());
  sendJson(res, ok ? 200 : 503, { ok });
});
