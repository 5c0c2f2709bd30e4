import { ConfigError, requirePatientDataKeys } from '../config';
import { noticesConfig } from './config';
import { smtpMailer, type Mailer } from './mailer';
import type { NoticeContext } from './notify';

let mailer: Mailer | undefined;

/** The process's mail transport and keys, made on first use; without SMTP_URL a notice cannot go out. */
export function noticeContext(): NoticeContext {
  const c = noticesConfig();
  if (!c.smtpUrl) throw new ConfigError('SMTP_URL is not set, so no notice can be sent (npm start runs a mail catcher when it is unset).');
  mailer ??= smtpMailer(c.smtpUrl, c.mailFrom);
  return { keys: requirePatientDataKeys(), mailer, publicBaseUrl: c.publicBaseUrl };
}

/** Closes the pooled SMTP connections (tests, shutdown). */
export function closeMailer(): void {
  mailer?.close();
  mailer = undefined;
}
