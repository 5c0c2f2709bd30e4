import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { readNoticesConfig, useNoticesConfig } from '../../functions/core/notices/config';

/**
 * `npm start`'s mail, so a newcomer sees the notices without a mail server: an SMTP server on
 * loopback (smtp-server, from the nodemailer project) that writes each message it receives as
 * an .eml file, and a loopback event sink that runs the notify function for the outbox relay.
 * Only scripts/start.ts imports this file; no function bundle contains it.
 */

type Fields = Record<string, unknown>;
const say = (message: string, fields: Fields = {}) => console.log(JSON.stringify({ severity: 'INFO', message, ...fields }));

export interface MailCatcher {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  url: string;
  /** Where the .eml files go. */
  dir: string;
  close(): Promise<void>;
}

/** An SMTP server on 127.0.0.1 that keeps every message as `<dir>/<time>-<n>.eml`. */
export async function startMailCatcher(dir: string, port = 0): Promise<MailCatcher> {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const server = new SMTPServer({
    // Loopback only, for one developer: no TLS to offer and no one to authenticate.
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    banner: 'clinic-booking mail catcher',
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      const file = join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++n}.eml`);
      const out = createWriteStream(file);
      stream.pipe(out);
      out.once('finish', () => callback());
      out.once('error', (err) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = (server.server as Server).address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    dir,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * What `npm start` runs for notices, before the configuration is read: the mail catcher
 * unless SMTP_URL is set, and, unless K_SINK is set, a loopback sink that hands the relayed
 * events to the notify function (on Knative the Broker does this). Returns the variables to
 * read the configuration with; pushes how to stop everything onto `closers`.
 */
export async function startLocalNotices(env: NodeJS.ProcessEnv, dataDir: string, closers: Array<() => Promise<void>>): Promise<Record<string, string>> {
  const extra: Record<string, string> = {};
  if (!env.SMTP_URL) {
    const catcher = await startMailCatcher(join(dataDir, 'mail'), Number(env.MAIL_CATCHER_PORT || 0));
    closers.push(() => catcher.close());
    extra.SMTP_URL = catcher.url;
    say('SMTP_URL is not set: mails are caught, not sent; read them as .eml files in the folder', { folder: catcher.dir });
  }
  useNoticesConfig(readNoticesConfig({ ...env, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL || `http://localhost:${env.PORT || 8080}`, ...extra }));
  if (!env.K_SINK) {
    let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
    const sink = createServer((req, res) => {
      void (async () => {
        // Loaded on the first event, once the configuration is installed.
        if (!handler) {
          const { default: notify } = await import('../../functions/notify');
          const { createServer: serveFunctions } = await import('../../functions/core/server');
          const inner = serveFunctions([notify]);
          handler = (rq, rs) => inner.emit('request', rq, rs);
        }
        handler(req, res);
      })().catch(() => res.writeHead(500).end());
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => sink.close(() => resolve())));
    extra.K_SINK = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
  }
  // The PingSource's work, on a timer: the reminders that have come due.
  const timer = setInterval(() => {
    void import('../../functions/send-reminders')
      .then(({ runReminders }) => runReminders(20_000))
      .catch((err) => console.error(JSON.stringify({ severity: 'ERROR', message: 'reminder run failed', error: (err as Error)?.name })));
  }, 60_000);
  closers.push(async () => clearInterval(timer));
  return extra;
}
