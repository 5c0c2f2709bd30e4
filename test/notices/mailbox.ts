import type { AddressInfo } from 'node:net';
import type { Server } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Caught {
  to: string[];
  subject: string;
  text: string;
  /** The text/calendar part, decoded. */
  ics: string | undefined;
  parsed: ParsedMail;
}

export interface Mailbox {
  url: string;
  mails: Caught[];
  /** While true, every message is refused with 451 (a mail server in trouble). */
  failing: boolean;
  /** Messages refused while failing. */
  refused: number;
  waitFor(predicate: (mails: Caught[]) => boolean, timeoutMs?: number, onPoll?: () => Promise<unknown>): Promise<void>;
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1 in the test process, parsing what it receives. */
export async function startMailbox(): Promise<Mailbox> {
  const box: Mailbox = {
    url: '',
    mails: [],
    failing: false,
    refused: 0,
    async waitFor(predicate, timeoutMs = 15_000, onPoll) {
      const until = Date.now() + timeoutMs;
      while (!predicate(box.mails)) {
        if (Date.now() > until) throw new Error(`mailbox: condition not met after ${timeoutMs} ms (${box.mails.length} mails)`);
        await onPoll?.();
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (box.failing) {
          box.refused += 1;
          const err = Object.assign(new Error('try again later'), { responseCode: 451 });
          return callback(err);
        }
        simpleParser(Buffer.concat(chunks)).then((parsed) => {
          const calendar = parsed.attachments.find((a) => a.contentType === 'text/calendar' || a.contentType === 'application/ics');
          box.mails.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            ics: calendar?.content.toString('utf8'),
            parsed,
          });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  box.url = `smtp://127.0.0.1:${((server.server as Server).address() as AddressInfo).port}`;
  return box;
}

/** The value of one property of the VEVENT (or the VCALENDAR, for METHOD), unfolded. */
export function icsField(ics: string, name: string): string | undefined {
  const unfolded = ics.replace(/\r?\n[ \t]/g, '');
  const line = unfolded.split(/\r?\n/).find((l) => l.startsWith(`${name}:`) || l.startsWith(`${name};`));
  return line?.slice(line.indexOf(':') + 1);
}

/** An iCalendar UTC date-time (20270328T080000Z) as ISO. */
export function icsInstant(value: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined;
}
