import type { CloudEvent } from '@google-cloud/functions-framework';
import * as v from 'valibot';
import { database } from '../core/db';
import { defineEventFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { describeError, log } from '../core/log';
import { noticeContext } from '../core/notices/context';
import { notifyEvent } from '../core/notices/notify';
import { AppointmentEventSchema } from '../core/schemas/events';

const name = 'notify';

/** Data exceptions and constraint violations: the event, not the database, is at fault. */
const refusedByDatabase = (err: unknown) => /^2[23]/.test((err as { code?: string })?.code ?? '');

/** Attributes safe to log: never the data, and never the address a notice went to. */
function describeEvent(ce: CloudEvent<unknown> | undefined) {
  const text = (value: unknown, max: number) => (typeof value === 'string' ? value.slice(0, max) : undefined);
  return { id: text(ce?.id, 100), type: text(ce?.type, 200), subject: text(ce?.subject, 100) };
}

/**
 * E-mails the patient about a booked, rescheduled or cancelled appointment, once per event id
 * (functions/core/notices/notify.ts). Returning acknowledges; throwing answers 500, so the
 * Broker retries with backoff (knative/eventing/notify-triggers.yaml) and, after its retries,
 * dead-letters the event: a mail server that is down loses nothing.
 */
async function notify(ce: CloudEvent<unknown>): Promise<void> {
  const parsed = v.safeParse(AppointmentEventSchema, ce);
  if (!parsed.success) {
    log.warn('appointment event refused', describeEvent(ce));
    return;
  }
  try {
    const outcome = await notifyEvent(database(), parsed.output, noticeContext());
    log.info('appointment notice', { ...describeEvent(ce), outcome });
  } catch (err) {
    if (refusedByDatabase(err)) {
      log.warn('appointment event refused by the database', { ...describeEvent(ce), ...describeError(err) });
      return;
    }
    log.error('could not send the appointment notice; the Broker will redeliver it', { ...describeEvent(ce), ...describeError(err) });
    throw new Error('The notice could not be sent; retry later.');
  }
}

export default defineEventFunction<unknown>(name, notify, [healthRoute]);
