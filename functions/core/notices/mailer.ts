import nodemailer, { type Transporter } from 'nodemailer';
import type { NoticeMessage } from './mail';

/** Sends one notice; throws when the SMTP server did not accept it (the caller retries later). */
export interface Mailer {
  send(to: string, message: NoticeMessage): Promise<void>;
  close(): void;
}

/**
 * A pooled SMTP transport: a few connections reused across messages, so a reminder run does
 * not pay a TCP and SMTP handshake per mail. Timeouts are short: a server that stopped
 * answering fails the send, and the event or reminder is tried again later.
 */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport: Transporter = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 10_000,
  } as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(to, message) {
      await transport.sendMail({
        from,
        to,
        subject: message.subject,
        text: message.text,
        icalEvent: { method: message.ics.method, filename: 'appointment.ics', content: message.ics.content },
      });
    },
    close() {
      transport.close();
    },
  };
}
