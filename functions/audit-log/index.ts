import type { CloudEvent } from '@google-cloud/functions-framework';
import * as v from 'valibot';
import { database } from '../core/db';
import { defineEventFunction } from '../core/function';
import { AppointmentEventSchema } from '../core/schemas/events';
import { healthRoute } from '../core/health';
import { describeError, log } from '../core/log';

const name = 'audit-log';

/** Data exceptions and constraint violations: the event, not the database, is at fault. */
const refusedByDatabase = (err: unknown) => /^2[23]/.test((err as { code?: string })?.code ?? '');

/** Attributes safe to log: never the data, which a malformed event might fill with anything. */
function describeEvent(ce: CloudEvent<unknown> | undefined) {
  const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : undefined);
  return { id: text(ce?.id, 100), source: text(ce?.source, 200), type: text(ce?.type, 200) };
}

/**
 * Keeps every appointment event once, by (source, id), in the append-only audit_log, however
 * often the Broker delivers it. Returning acknowledges (2xx); throwing answers 500 so the
 * Broker retries and, after its retries, dead-letters the event.
 */
async function recordEvent(ce: CloudEvent<unknown>): Promise<void> {
  const parsed = v.safeParse(AppointmentEventSchema, ce);
  if (!parsed.success) {
    // Acknowledged: redelivering the same bytes cannot make them valid.
    const fields = [...new Set(parsed.issues.map((i) => v.getDotPath(i) ?? '(event)'))].join(', ');
    log.warn('appointment event refused', { ...describeEvent(ce), fields });
    return;
  }
  try {
    const added = await database().audit.recordOnce(parsed.output);
    log.debug(added ? 'appointment event recorded' : 'appointment event already recorded', describeEvent(ce));
  } catch (err) {
    if (refusedByDatabase(err)) {
      log.warn('appointment event refused by the database', { ...describeEvent(ce), ...describeError(err) });
      return;
    }
    log.error('could not record appointment event', { ...describeEvent(ce), ...describeError(err) });
    // A message of our own: the framework echoes it in the 500 body outside production.
    throw new Error('The event could not be recorded; retry later.');
  }
}

/**
 * An event consumer: the Broker's Trigger POSTs events to any path, and Knative probes
 * GET /healthz, which server.ts answers itself because the framework routes only POST to a
 * cloudEvent function.
 */
export default defineEventFunction<unknown>(name, recordEvent, [healthRoute]);
