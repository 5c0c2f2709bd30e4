import { currentRequest } from './request-context';

/**
 * Structured logs: one JSON object per line with `severity` and `message`, the shape Cloud
 * Logging and most collectors read. Callers pass only non-personal fields: never a patient's
 * name or contact, a reference, a token or a connection string. A line written while a request
 * is served carries its `request_id` (request-context.ts), the id the caller got back.
 */
type Severity = 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
type Fields = Record<string, string | number | boolean | null | undefined>;

const rank: Record<Severity, number> = { DEBUG: 0, INFO: 1, WARNING: 2, ERROR: 3 };
const levelNames: Record<string, Severity> = { debug: 'DEBUG', info: 'INFO', warning: 'WARNING', error: 'ERROR' };
// Read here rather than from config(): logging must work before the configuration is valid.
let threshold = rank[levelNames[(process.env.LOG_LEVEL || 'info').toLowerCase()] ?? 'INFO'];

function write(severity: Severity, message: string, fields?: Fields): void {
  if (rank[severity] < threshold) return;
  const request = currentRequest();
  const line = JSON.stringify({ severity, message, time: new Date().toISOString(), request_id: request?.requestId, ...fields });
  (severity === 'ERROR' ? process.stderr : process.stdout).write(line + '\n');
}

export const log = {
  debug: (message: string, fields?: Fields) => write('DEBUG', message, fields),
  info: (message: string, fields?: Fields) => write('INFO', message, fields),
  warn: (message: string, fields?: Fields) => write('WARNING', message, fields),
  error: (message: string, fields?: Fields) => write('ERROR', message, fields),
  /** Tests silence expected noise. */
  setLevel(level: Severity) {
    threshold = rank[level];
  },
};

/**
 * What may be logged of an unexpected error: its class, SQLSTATE and stack frames. The message
 * is left out on purpose, because driver messages can quote the offending input.
 */
export function describeError(err: unknown): Fields {
  if (!(err instanceof Error)) return { error: typeof err };
  const frames = (err.stack ?? '').split('\n').slice(1, 6).map((l) => l.trim()).join(' | ');
  const code = (err as { code?: unknown }).code;
  return { error: err.name, code: typeof code === 'string' ? code : undefined, stack: frames };
}
