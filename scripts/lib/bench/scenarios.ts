import type { Dataset } from './dataset';
import type { HttpLoad } from './load';
import { run, type BookingArgs, type FloorDb } from './queries';
import { isoDay, type FreeSlot, type SlotSupply } from './slots';

export const SCENARIOS = ['slots', 'book', 'lookup', 'list', 'list-deep', 'page'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export interface ScenarioContext {
  dataset: Dataset;
  supply: SlotSupply;
  staffToken: string;
  /** A slot booked before the run: what a request books when the supply has run dry (a 409, reported). */
  takenSlot: FreeSlot;
}

export interface Scenario {
  name: ScenarioName;
  /** The function that serves it alone, as one Knative instance (its bundle under dist/functions). */
  fn: string;
  what: string;
  /** The HTTP load, the same for the project and the Node floor. */
  http(ctx: ScenarioContext): Omit<HttpLoad, 'url' | 'connections' | 'durationS' | 'progress'>;
  /** The same SQL with no HTTP, for the database floor; absent when the scenario runs no SQL. */
  db?(ctx: ScenarioContext, db: FloorDb): () => Promise<number>;
  /** Books slots: each request needs a fresh one. */
  books?: boolean;
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const futureDays = Array.from({ length: 14 }, (_, i) => isoDay(i + 1));

let bookings = 0;

function nextBooking(ctx: ScenarioContext): BookingArgs {
  const slot = ctx.supply.take() ?? ctx.takenSlot;
  return {
    patient_name: 'Bench Patient',
    doctor_id: slot.doctorId,
    appointment_time: slot.start,
    // One contact per booking, as in a real rush: the per-contact cap and rate never apply.
    patient_email: `bench.patient+${++bookings}@example.org`,
  };
}

export const scenarios: Record<ScenarioName, Scenario> = {
  slots: {
    name: 'slots',
    fn: 'availability',
    what: "GET /api/doctors/:id/slots?date= (a random doctor, a random day of the next two weeks)",
    http: (ctx) => ({
      method: 'GET',
      path: `/api/doctors/${ctx.dataset.doctorIds[0]}/slots?date=${futureDays[0]}`,
      next: () => ({ path: `/api/doctors/${pick(ctx.dataset.doctorIds)}/slots?date=${pick(futureDays)}` }),
    }),
    db: (ctx, db) => async () => ((await run.slots(db, pick(ctx.dataset.doctorIds), pick(futureDays))) === null ? 404 : 200),
  },
  book: {
    name: 'book',
    fn: 'create-booking',
    what: 'POST /api/appointments, every request a different free future slot (found through the slots API)',
    books: true,
    http: (ctx) => ({
      method: 'POST',
      path: '/api/appointments',
      headers: { 'content-type': 'application/json' },
      next: () => ({ body: JSON.stringify(nextBooking(ctx)) }),
    }),
    db: (ctx, db) => async () => (await run.book(db, nextBooking(ctx), '/functions/db-floor')).status,
  },
  lookup: {
    name: 'lookup',
    fn: 'list-appointments',
    what: 'GET /api/appointments/:reference (a random one of 10,000 past appointments)',
    http: (ctx) => ({
      method: 'GET',
      path: `/api/appointments/${ctx.dataset.references[0]}`,
      next: () => ({ path: `/api/appointments/${pick(ctx.dataset.references)}` }),
    }),
    db: (ctx, db) => async () => ((await run.lookup(db, pick(ctx.dataset.references))) === null ? 404 : 200),
  },
  list: {
    name: 'list',
    fn: 'list-appointments',
    what: 'GET /api/appointments?limit=50 (staff, first page)',
    http: (ctx) => ({ method: 'GET', path: '/api/appointments?limit=50', headers: { authorization: `Bearer ${ctx.staffToken}` } }),
    db: (_ctx, db) => async () => (await run.list(db, 50, undefined), 200),
  },
  'list-deep': {
    name: 'list-deep',
    fn: 'list-appointments',
    what: 'GET /api/appointments?limit=50&cursor= (staff, a page 90% of the way through 100,000 rows)',
    http: (ctx) => ({
      method: 'GET',
      path: `/api/appointments?limit=50&cursor=${ctx.dataset.deepCursor}`,
      headers: { authorization: `Bearer ${ctx.staffToken}` },
    }),
    db: (ctx, db) => async () => (await run.list(db, 50, ctx.dataset.deepCursor), 200),
  },
  page: {
    name: 'page',
    fn: 'render-page',
    what: 'GET / (the booking page)',
    http: () => ({ method: 'GET', path: '/' }),
  },
};
