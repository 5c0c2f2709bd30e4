import { database } from '../core/db';
import { defineHttpFunction } from '../core/function';
import { healthRoute } from '../core/health';
import { route, sendJson } from '../core/http';
import { log } from '../core/log';
import { noticesConfig } from '../core/notices/config';
import { noticeContext } from '../core/notices/context';
import { sendReminders, type ReminderReport } from '../core/notices/reminders';

const name = 'send-reminders';

/** Ends before the next PingSource run (overlapping runs are safe: SKIP LOCKED, only wasteful). */
const RUN_BUDGET_MS = 45_000;

/** One run: every reminder due now, each appointment and time once. */
export async function runReminders(budgetMs = RUN_BUDGET_MS): Promise<ReminderReport> {
  const report = await sendReminders(database(), noticeContext(), { hours: noticesConfig().reminderHours, budgetMs });
  log.info('reminder run', { ...report });
  return report;
}

export default defineHttpFunction(name, [
  // Called by a PingSource (knative/eventing/ping-source-reminders.yaml); `npm start` runs the
  // same work on a timer, so the one-process server does not serve this path.
  route('POST', '/internal/send-reminders', async ({ res }) => {
    const report = await runReminders();
    // A failing mail server is not the ping's fault: 200 with the counts, the next run retries.
    sendJson(res, 200, report);
  }, { internal: true, query: 'ignored' }),
  healthRoute,
], { cors: false });
