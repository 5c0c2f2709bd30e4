import { Agent, request } from 'node:http';
import type pg from 'pg';

/**
 * The 08:00 rush: `patients` virtual patients arrive evenly over `overS` seconds; each lists the
 * doctors, picks one and one of `days`, fetches that day's slots, books a random free one, and on
 * a 409 fetches the day again and retries, at most `retries` times. A day with no free slot left
 * ends the flow as "fully booked". Every loop is bounded: at most 2 + 2 x (retries + 1) requests
 * per flow, each with a timeout, and no flow starts after `deadlineS`.
 */
export interface RushOptions {
  patients: number;
  overS: number;
  /** YYYY-MM-DD days everyone asks for. */
  days: readonly string[];
  /** Only doctors whose id is in this list (the bench's own, on a shared database). */
  doctorIds?: readonly number[];
  retries: number;
  /** Sockets the patients share, like the browsers behind one proxy (keep-alive). */
  sockets: number;
  requestTimeoutMs: number;
  deadlineS: number;
}

/** A patient who met a 409 fetches the day again and tries this many more times. */
export const RUSH_RETRIES = 3;

/** The next `count` Monday-to-Friday dates (UTC) from `offset` days after today: the bench doctors work weekdays. */
export function weekdays(offset: number, count: number): string[] {
  const out: string[] = [];
  for (let d = offset; out.length < count; d++) {
    const day = new Date(Date.now() + d * 86_400_000);
    if (day.getUTCDay() !== 0 && day.getUTCDay() !== 6) out.push(day.toISOString().slice(0, 10));
  }
  return out;
}

export type Outcome = 'booked' | 'fully-booked' | 'gave-up' | 'failed';

export interface RushResult {
  target: string;
  patients: number;
  outcomes: Record<Outcome, number>;
  /** Completed bookings per second, from the first arrival to the last flow's end. */
  bookingsPerS: number;
  wallS: number;
  /** Whole-flow time in ms, from a patient's arrival to its booking (booked flows only). */
  flowP50: number;
  flowP99: number;
  requests: number;
  posts: number;
  conflicts: number;
  /** 409s over booking attempts. */
  conflictShare: number;
  status5xx: number;
  statusCodes: Record<string, number>;
  /** Why flows failed, first few distinct reasons. */
  failures: string[];
  /** Overlapping booked appointments of one doctor in the whole database afterwards (must be 0). */
  doubleBookings: number;
}

/** Overlapping booked appointments of one doctor, counted over the whole table. */
export async function countDoubleBookings(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (
       SELECT appointment_time, max(end_time) OVER (PARTITION BY doctor_id ORDER BY appointment_time, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
       FROM appointments WHERE status = 'booked') x
     WHERE before_end > appointment_time`,
  );
  return rows[0].n;
}

interface Answer {
  status: number;
  body: string;
}

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] : 0);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runRush(baseUrl: string, opts: RushOptions, count: () => Promise<number>): Promise<RushResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: opts.sockets });
  const statusCodes: Record<string, number> = {};
  const failures = new Set<string>();
  let requests = 0;
  let posts = 0;
  let conflicts = 0;

  const send = (method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> =>
    new Promise((resolve) => {
      requests++;
      const req = request(
        baseUrl + path,
        { method, agent, timeout: opts.requestTimeoutMs, headers: body ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : {} },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const status = res.statusCode ?? 0;
            statusCodes[status] = (statusCodes[status] ?? 0) + 1;
            resolve({ status, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', () => resolve({ status: 0, body: 'response error' }));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${opts.requestTimeoutMs} ms`)));
      req.on('error', (err) => {
        statusCodes.error = (statusCodes.error ?? 0) + 1;
        resolve({ status: 0, body: err.message });
      });
      req.end(body);
    });

  const fail = (what: string, a: Answer): Outcome => {
    if (failures.size < 5) failures.add(`${what}: ${a.status || 'no answer'} ${a.status ? '' : a.body}`.trim());
    return 'failed';
  };

  const flow = async (): Promise<Outcome> => {
    const doctors = await send('GET', '/api/doctors');
    if (doctors.status !== 200) return fail('GET /api/doctors', doctors);
    let ids = (JSON.parse(doctors.body) as { items: Array<{ id: number }> }).items.map((d) => d.id);
    if (opts.doctorIds) ids = ids.filter((id) => opts.doctorIds!.includes(id));
    if (!ids.length) return fail('GET /api/doctors listed none of the doctors', doctors);
    const doctorId = pick(ids);
    const day = pick(opts.days);
    for (let attempt = 0; attempt <= opts.retries; attempt++) {
      const slots = await send('GET', `/api/doctors/${doctorId}/slots?date=${day}`);
      if (slots.status !== 200) return fail('GET slots', slots);
      const free = (JSON.parse(slots.body) as { slots: Array<{ start: string; available: boolean }> }).slots.filter((s) => s.available);
      if (!free.length) return 'fully-booked';
      posts++;
      const booked = await send('POST', '/api/appointments', JSON.stringify({ patient_name: 'Rush Patient', doctor_id: doctorId, appointment_time: pick(free).start }));
      if (booked.status === 201) return 'booked';
      if (booked.status !== 409) return fail('POST /api/appointments', booked);
      conflicts++;
    }
    return 'gave-up';
  };

  const outcomes: Record<Outcome, number> = { booked: 0, 'fully-booked': 0, 'gave-up': 0, failed: 0 };
  const flowMs: number[] = [];
  const began = performance.now();
  const deadline = began + opts.deadlineS * 1000;
  let lastEnd = began;
  const gap = (opts.overS * 1000) / Math.max(1, opts.patients);
  await Promise.all(
    Array.from({ length: opts.patients }, async (_, i) => {
      await sleep(i * gap);
      if (performance.now() > deadline) {
        outcomes.failed++;
        failures.add('arrived after the deadline; not started');
        return;
      }
      const arrived = performance.now();
      const outcome = await flow().catch((err: Error) => fail('flow threw', { status: 0, body: err.message }));
      outcomes[outcome]++;
      const end = performance.now();
      lastEnd = Math.max(lastEnd, end);
      if (outcome === 'booked') flowMs.push(end - arrived);
    }),
  );
  agent.destroy();
  const wallS = (lastEnd - began) / 1000;
  flowMs.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 10) / 10;
  return {
    target: baseUrl,
    patients: opts.patients,
    outcomes,
    bookingsPerS: wallS > 0 ? outcomes.booked / wallS : 0,
    wallS: ms(wallS),
    flowP50: ms(percentile(flowMs, 50)),
    flowP99: ms(percentile(flowMs, 99)),
    requests,
    posts,
    conflicts,
    conflictShare: posts ? conflicts / posts : 0,
    status5xx: Object.entries(statusCodes).reduce((n, [code, k]) => (code.startsWith('5') ? n + k : n), 0),
    statusCodes,
    failures: [...failures],
    doubleBookings: await count(),
  };
}
