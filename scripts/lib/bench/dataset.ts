import pg from 'pg';

/** Every bench doctor's name starts with this, so a shared database keeps its own doctors apart. */
export const DOCTOR_PREFIX = 'Bench Dr ';

export interface Dataset {
  doctorIds: number[];
  /** References of past appointments, sampled across the whole table, for `lookup`. */
  references: string[];
  /** A `next_cursor` 90% of the way through the staff listing, for the deep page. */
  deepCursor: string;
  appointments: number;
  loadMs: number;
}

/**
 * 20 doctors across five time zones with weekday hours (08:00-12:30, 13:30-18:00; Saturday
 * mornings for a quarter of them), and 100,000 past appointments in one INSERT ... SELECT:
 * per doctor, 5,000 consecutive morning slots on past weekdays, so booked ranges never
 * overlap; about 8% cancelled. References are 16 random bytes as base64url (22 characters),
 * stored as their SHA-256 as the functions store them, the clear ones in bench_references for
 * the lookup scenario. No contact, so nothing to seal. Past bookings queue no outbox rows. Runs
 * as the owner role, which owns the tables.
 */
const LOAD = `
WITH new_doctors AS (
  INSERT INTO doctors (name, specialty, timezone, slot_minutes)
  SELECT '${DOCTOR_PREFIX}' || lpad(g::text, 2, '0'),
         (ARRAY['General practice', 'Dermatology', 'Paediatrics', 'Cardiology', 'Physiotherapy'])[1 + g % 5],
         (ARRAY['Europe/London', 'America/New_York', 'America/Los_Angeles', 'Australia/Melbourne', 'Asia/Kolkata'])[1 + g % 5],
         (ARRAY[10, 15, 20, 30])[1 + g % 4]
  FROM generate_series(1, 20) AS g
  RETURNING id
)
INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at)
SELECT d.id, day, h.starts_at, h.ends_at
FROM new_doctors d
CROSS JOIN generate_series(1, 5) AS day
CROSS JOIN (VALUES (time '08:00', time '12:30'), (time '13:30', time '18:00')) AS h (starts_at, ends_at)
UNION ALL
SELECT d.id, 6, time '09:00', time '13:00' FROM new_doctors d WHERE d.id % 4 = 0;

-- Only a reference's hash is kept (migration 007); the clear ones the lookup scenario sends
-- are kept beside, in a table of the bench's own.
CREATE TABLE IF NOT EXISTS bench_references (appointment_id bigint PRIMARY KEY, reference text NOT NULL);

WITH doctor AS (
  SELECT id, timezone, slot_minutes, row_number() OVER (ORDER BY id) - 1 AS n
  FROM doctors WHERE name LIKE '${DOCTOR_PREFIX}%'
), past_weekday AS (
  SELECT day::date, row_number() OVER (ORDER BY day DESC) - 1 AS n
  FROM generate_series(current_date - 1200, current_date - 2, interval '1 day') AS day
  WHERE extract(isodow FROM day) <= 5
), appointment AS MATERIALIZED (
  SELECT g, d.id AS doctor_id, d.slot_minutes,
         ((w.day + time '08:00' + make_interval(mins => d.slot_minutes * ((g / 20) % 8)::int)) AT TIME ZONE d.timezone) AS starts,
         rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=') AS reference
  FROM generate_series(0, 99999) AS g
  JOIN doctor d ON d.n = g % 20
  JOIN past_weekday w ON w.n = g / 160
), inserted AS (
  INSERT INTO appointments (reference_hash, patient_name, doctor_id, appointment_time, end_time, status, created_at, cancelled_at)
  SELECT sha256(convert_to(reference, 'UTF8')),
         'Patient ' || g,
         doctor_id, starts, starts + make_interval(mins => slot_minutes),
         CASE WHEN g % 100 < 8 THEN 'cancelled' ELSE 'booked' END,
         starts - make_interval(days => 1 + g % 30),
         CASE WHEN g % 100 < 8 THEN starts - interval '1 hour' END
  FROM appointment
  RETURNING id, reference_hash
)
INSERT INTO bench_references (appointment_id, reference)
SELECT i.id, a.reference FROM inserted i JOIN appointment a ON sha256(convert_to(a.reference, 'UTF8')) = i.reference_hash;
`;

/** Loads the data set once (a database that already has the bench doctors keeps them) and reads what the scenarios need. */
export async function loadDataset(ownerUrl: string): Promise<Dataset> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  const began = performance.now();
  try {
    const existing = await client.query(`SELECT count(*)::int AS n FROM doctors WHERE name LIKE '${DOCTOR_PREFIX}%'`);
    if (existing.rows[0].n === 0) {
      await client.query('BEGIN');
      await client.query(LOAD);
      await client.query('COMMIT');
      await client.query('ANALYZE doctors, working_hours, appointments');
    }
    const loadMs = performance.now() - began;
    const doctors = await client.query<{ id: number }>(`SELECT id FROM doctors WHERE name LIKE '${DOCTOR_PREFIX}%' ORDER BY id`);
    const count = await client.query<{ n: number }>('SELECT count(*)::int AS n FROM appointments');
    // Every 10th past appointment: 10,000 references spread over the table.
    const refs = await client.query<{ reference: string }>(
      `SELECT r.reference FROM bench_references r JOIN appointments a ON a.id = r.appointment_id JOIN doctors d ON d.id = a.doctor_id
       WHERE d.name LIKE '${DOCTOR_PREFIX}%' AND a.appointment_time < now() AND a.id % 10 = 0 ORDER BY a.id`,
    );
    const deep = await client.query<{ cursor: string }>(
      `SELECT rtrim(translate(encode(convert_to(
                to_char(appointment_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') || ',' || id, 'UTF8'), 'base64'), '+/', '-_'), '=') AS cursor
       FROM appointments ORDER BY appointment_time, id OFFSET (SELECT (count(*) * 0.9)::bigint FROM appointments) LIMIT 1`,
    );
    return {
      doctorIds: doctors.rows.map((r) => r.id),
      references: refs.rows.map((r) => r.reference),
      deepCursor: deep.rows[0].cursor,
      appointments: count.rows[0].n,
      loadMs,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await client.end();
  }
}
