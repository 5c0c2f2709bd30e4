import type { IDatabase } from 'pg-promise';
import { describeError, log } from '../log';
import { composeNotice } from './mail';
import { emailOf, noticeAppointment, type NoticeContext } from './notify';
import { noticeQueries } from './queries';

export interface ReminderOptions {
  /** REMINDER_HOURS: an appointment is reminded once it starts within this many hours. */
  hours: number;
  /** Appointments claimed per transaction. */
  batchSize?: number;
  /** No new batch after this. */
  budgetMs?: number;
}

export interface ReminderReport {
  sent: number;
  /** Due, but without an e-mail address: marked, nothing sent. */
  noAddress: number;
  failed: number;
  batches: number;
  stoppedBy: 'drained' | 'budget' | 'smtp_failing';
}

/**
 * Sends every due reminder once. A batch of due appointments is locked (`FOR UPDATE SKIP
 * LOCKED`, so a second run skips them and a cancellation waits for this commit), their mails
 * are sent concurrently through the pooled transport, and the ones that went out are marked in
 * reminders_sent by (appointment, time) before the commit. A cancelled appointment is never
 * claimed; a moved one is due again at its new time. A failed send stays unmarked and is tried
 * on the next run; a commit failing after SMTP accepted mails sends them again next run (at
 * least once, as with notices).
 */
export async function sendReminders(db: IDatabase<unknown>, ctx: NoticeContext, options: ReminderOptions): Promise<ReminderReport> {
  const batchSize = options.batchSize ?? 200;
  const deadline = Date.now() + (options.budgetMs ?? 45_000);
  const report: ReminderReport = { sent: 0, noAddress: 0, failed: 0, batches: 0, stoppedBy: 'drained' };
  for (;;) {
    if (Date.now() > deadline) {
      report.stoppedBy = 'budget';
      break;
    }
    const outcome = await db.tx('send-reminders', async (t) => {
      const due = await noticeQueries.dueReminders(t, options.hours, batchSize);
      if (due.length === 0) return { claimed: 0, failed: 0 };
      const rows = await noticeQueries.appointments(t, due.map((d) => d.id));
      const results = await Promise.allSettled(rows.map(async (row) => {
        const email = emailOf(row, ctx.keys);
        if (email === null) return false;
        const appointment = noticeAppointment(row, ctx.keys, ctx.publicBaseUrl, { start: row.appointment_time, end: row.end_time }, row.revision);
        await ctx.mailer.send(email, composeNotice('reminder', appointment, ctx.publicBaseUrl));
        return true;
      }));
      const done: Array<{ id: string; mailed: boolean }> = [];
      let failed = 0;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') done.push({ id: rows[i]!.id, mailed: r.value });
        else {
          failed += 1;
          if (failed === 1) log.warn('a reminder could not be sent; it is tried again on the next run', describeError(r.reason));
        }
      });
      await noticeQueries.markReminded(t, done);
      report.sent += done.filter((d) => d.mailed).length;
      report.noAddress += done.filter((d) => !d.mailed).length;
      return { claimed: due.length, failed };
    });
    if (outcome.claimed === 0) break;
    report.batches += 1;
    report.failed += outcome.failed;
    if (outcome.failed > 0) {
      // The mail server is refusing: the rest waits for the next run rather than failing too.
      report.stoppedBy = 'smtp_failing';
      break;
    }
  }
  return report;
}
