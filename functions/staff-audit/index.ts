import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { route, sendJson } from '../core/http';
import { staffContext } from '../core/staff';
import { AuditQuerySchema, listStaffAudit, type AuditQuery } from '../core/staff-audit';

/** GET /api/audit: the staff audit trail for admins, newest first, with filters and a cursor. */
export default defineHttpFunction('staff-audit', [
  route('GET', '/api/audit', async ({ req, res, query }) => {
    const who = await staffContext(req, res, 'audit:read');
    sendJson(res, 200, await listStaffAudit(database(), who, query as AuditQuery));
  }, { query: AuditQuerySchema }),
  healthRoute,
]);
