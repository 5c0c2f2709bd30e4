import { createHash } from 'node:crypto';
import pg from 'pg';
import { log } from './log';

/**
 * Each instance keeps what GET /api/doctors and a doctor-day's slots answered, so the 08:00
 * rush, when everyone refreshes the same few days, is served from memory.
 *
 * Safe because a change drops it: a trigger on appointments, doctors and working_hours
 * (db/migrations) sends `NOTIFY slots_changed, 'a:<doctor id>'` as the change commits, and one
 * LISTEN connection per instance drops that doctor's days (and the doctor list). What a patient
 * can see stale is bounded:
 * - a booking made through another instance: until its notification arrives (milliseconds);
 * - if the LISTEN connection is lost: nothing, because the cache is cleared and bypassed until it
 *   is back and has proved itself (it NOTIFYs itself and waits to hear it: through a
 *   transaction-mode pooler LISTEN silently hears nothing, so it stays off there);
 * - time: an entry lives at most `ttlMs`, so a slot that just passed, or one that the horizon
 *   just reached, shows as it was for at most that long.
 * A stale "available" ends in a clean 409 slot_taken (or 422 for a past time) and the widget
 * fetches the day again. A load that started before a change is not stored after it
 * (a generation counter per doctor).
 */
export interface CachedBody {
  body: string;
  etag: string;
}

interface Entry extends CachedBody {
  expires: number;
}

const CHANNEL = 'slots_changed';

export class SlotCache {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<CachedBody | null>>();
  /** Bumped by each change, so a load that began before it is not stored after it. */
  private readonly doctorGenerations = new Map<number, number>();
  private listGeneration = 0;
  private allGeneration = 0;
  private listener: pg.Client | undefined;
  private listening = false;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private onListening: Array<() => void> = [];

  constructor(private readonly connectionString: string, private readonly ttlMs: number, private readonly applicationName: string) {}

  /** The body for `key` of `doctorId` (`null` for the doctor list), from memory or `load` (one load at a time per key). */
  async get(doctorId: number | null, key: string, load: () => Promise<string | null>): Promise<CachedBody | null> {
    this.ensureListening();
    const id = `${doctorId ?? '*'}:${key}`;
    if (this.listening) {
      const hit = this.entries.get(id);
      if (hit && hit.expires > Date.now()) return hit;
      const inFlight = this.loading.get(id);
      if (inFlight) return inFlight;
    }
    const generation = this.generation(doctorId);
    const loaded = (async () => {
      const body = await load();
      if (body === null) return null;
      const value = { body, etag: etagOf(body) };
      if (this.listening && this.generation(doctorId) === generation) this.entries.set(id, { ...value, expires: Date.now() + this.ttlMs });
      return value;
    })();
    if (!this.listening) return loaded;
    this.loading.set(id, loaded);
    try {
      return await loaded;
    } finally {
      this.loading.delete(id);
    }
  }

  /**
   * A change committed (heard, or made by this instance): an appointment of `doctorId` drops
   * that doctor's days; a change of the doctor or their hours (`list`) drops the doctor list too.
   */
  changed(doctorId: number | 'all', list = false): void {
    if (doctorId === 'all') {
      this.allGeneration++;
      return this.entries.clear();
    }
    this.doctorGenerations.set(doctorId, (this.doctorGenerations.get(doctorId) ?? 0) + 1);
    if (list) this.listGeneration++;
    for (const id of this.entries.keys()) if (id.startsWith(`${doctorId}:`) || (list && id.startsWith('*:'))) this.entries.delete(id);
  }

  private generation(doctorId: number | null): number {
    return this.allGeneration + (doctorId === null ? this.listGeneration : this.doctorGenerations.get(doctorId) ?? 0);
  }

  private ensureListening(): void {
    if (this.listener || this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, application_name: `${this.applicationName}-cache`, connectionTimeoutMillis: 5_000 });
    this.listener = client;
    const lost = (why: string) => {
      if (this.listener !== client) return;
      this.listener = undefined;
      this.listening = false;
      this.entries.clear();
      client.end().catch(() => undefined);
      if (!this.stopped) {
        log.warn('slot cache off: its LISTEN connection is gone', { why });
        this.retry = setTimeout(() => this.ensureListening(), 5_000);
        this.retry.unref();
      }
    };
    client.on('error', (err) => lost((err as { code?: string }).code ?? err.name));
    client.on('end', () => lost('ended'));
    const probe = `probe-${process.pid}-${Date.now()}`;
    client.on('notification', (n) => {
      if (n.channel !== CHANNEL) return;
      if (n.payload === probe) {
        if (!this.listening) log.info('slot cache on');
        this.listening = true;
        for (const resolve of this.onListening.splice(0)) resolve();
        return;
      }
      // 'a:<doctor id>' an appointment changed; 'd:<doctor id>' the doctor or their hours; anything else, everything.
      const match = /^([ad]):([1-9][0-9]{0,9})$/.exec(n.payload ?? '');
      if (match) this.changed(Number(match[2]), match[1] === 'd');
      else this.changed('all');
    });
    void (async () => {
      try {
        await client.connect();
        // The connection must not hold up the process's exit.
        (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
        await client.query(`LISTEN ${CHANNEL}`);
        await client.query('SELECT pg_notify($1, $2)', [CHANNEL, probe]);
        setTimeout(() => {
          if (!this.listening && this.listener === client) log.warn('slot cache off: LISTEN hears nothing here (a transaction-mode pooler?); set DATABASE_DIRECT_URL');
        }, 2_000).unref();
      } catch (err) {
        lost((err as { code?: string }).code ?? 'connect failed');
      }
    })();
  }

  /** Resolves true once the cache is on (its LISTEN proved itself), false if it is not within `timeoutMs`. */
  whenListening(timeoutMs = 5_000): Promise<boolean> {
    this.ensureListening();
    if (this.listening) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(this.listening), timeoutMs);
      this.onListening.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.listener;
    this.listener = undefined;
    this.listening = false;
    this.entries.clear();
    await client?.end().catch(() => undefined);
  }
}

/** A strong ETag of the body: equal bodies, equal tags, whichever instance made them. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
