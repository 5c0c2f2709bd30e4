import { ConfigError } from '../config';

/**
 * Settings of notices, rescheduling and reminders (issue 12), read once and validated like
 * functions/core/config.ts, kept apart so the functions that never send mail load nothing of it.
 */
export interface NoticesConfig {
  /** SMTP_URL (smtp:// or smtps://, credentials in the URL); unset: no mail is sent, and the notifier says so. */
  readonly smtpUrl: string | undefined;
  /** MAIL_FROM: the sender, `Clinic <appointments@clinic.example>`. */
  readonly mailFrom: string;
  /** PUBLIC_BASE_URL: where the manage page is, `https://booking.clinic.example`; the link is `<base>/manage#<reference>`. */
  readonly publicBaseUrl: string;
  /** REMINDER_HOURS: how long before an appointment its reminder goes out. */
  readonly reminderHours: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function hours(env: Env, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new ConfigError(`${name} must be a whole number of hours from 0 to ${max}, not "${raw}".`);
  return value;
}

export function readNoticesConfig(env: Env = process.env): NoticesConfig {
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined) {
    const url = URL.canParse(smtpUrl) ? new URL(smtpUrl) : undefined;
    // The URL may carry a password: the message names the variable, never echoes the value.
    if (!url || !['smtp:', 'smtps:'].includes(url.protocol)) throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL.');
  }
  const base = env.PUBLIC_BASE_URL || 'http://localhost:8080';
  const parsed = URL.canParse(base) ? new URL(base) : undefined;
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash) {
    throw new ConfigError(`PUBLIC_BASE_URL must be an http(s) URL without query or fragment, like https://booking.clinic.example, not "${base}".`);
  }
  const mailFrom = env.MAIL_FROM || 'Clinic <appointments@localhost>';
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom)) throw new ConfigError('MAIL_FROM must be one address, like Clinic <appointments@clinic.example>.');
  return Object.freeze({
    smtpUrl,
    mailFrom,
    publicBaseUrl: parsed.href.replace(/\/+$/, ''),
    reminderHours: hours(env, 'REMINDER_HOURS', 24, 24 * 30),
  });
}

let current: NoticesConfig | undefined;

/** Installs the settings before first use (npm start passes its mail catcher's URL this way). */
export function useNoticesConfig(settings: NoticesConfig): void {
  if (current && current !== settings) throw new Error('The notices configuration was already read; useNoticesConfig must come first.');
  current = settings;
}

export function noticesConfig(): NoticesConfig {
  current ??= readNoticesConfig();
  return current;
}
