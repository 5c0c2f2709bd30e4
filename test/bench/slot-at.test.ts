import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addDoctor, createTestDatabase, type TestDatabase } from '../helpers/db';

/**
 * The booking checks its one candidate slot with schedule_slot_at (db/migrations/024) instead
 * of generating the doctor's day with schedule_slots (013), to cost less. Both must agree on
 * every instant: here every 5 minutes over days with clock changes, breaks, ranges that
 * meet, overrides, a closed date, time off and a holiday, for each appointment type.
 */
let db: TestDatabase;
before(async () => {
  db = await createTestDatabase();
});
after(async () => {
  await db.drop();
});

/** Windows (UTC) that hold the awkward days, each with the calendar days around it. */
const windows = [
  ['2027-03-13', '2027-03-16'], // New York springs forward on the 14th at 02:00
  ['2027-03-27', '2027-03-30'], // London on the 28th at 01:00
  ['2027-11-06', '2027-11-09'], // New York falls back on the 7th at 02:00
  ['2027-06-01', '2027-06-05'], // overrides, a closed date, time off, a holiday
];

test('schedule_slot_at answers exactly the slots schedule_slots lists', async () => {
  const q = (text: string, values: unknown[] = []) => db.owner.query(text, values);
  const everyDay = (start: string, end: string) => [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start, end }));
  const night = await addDoctor(db, { timezone: 'America/New_York', hours: everyDay('00:00', '04:00') });
  const london = await addDoctor(db, { timezone: 'Europe/London', hours: [...everyDay('00:30', '03:00'), ...everyDay('09:00', '12:00'), ...everyDay('13:00', '17:00')] });
  const overlap = await addDoctor(db, { timezone: 'Asia/Kolkata', slotMinutes: 20, hours: [...everyDay('09:00', '11:00'), ...everyDay('11:00', '13:10')] });
  const late = await addDoctor(db, { timezone: 'UTC', hours: everyDay('20:00', '24:00') });
  for (const id of [night, london, overlap, late]) {
    await q("INSERT INTO appointment_types (doctor_id, name, minutes) VALUES ($1, 'Long', 45), ($1, 'Odd', 25)", [id]);
  }
  await q("INSERT INTO appointment_types (doctor_id, name, minutes, active) VALUES ($1, 'Retired', 15, false)", [london]);
  await q("INSERT INTO schedule_overrides (doctor_id, day, starts_at, ends_at) VALUES ($1, '2027-06-02', '07:10', '08:40'), ($1, '2027-06-02', '15:00', '16:00'), ($1, '2027-06-03', NULL, NULL)", [london]);
  await q("INSERT INTO time_off (doctor_id, during) VALUES ($1, tstzrange('2027-06-01 10:10+01', '2027-06-01 11:05+01'))", [london]);
  await q("INSERT INTO clinic_holidays (day, name) VALUES ('2027-06-04', 'Test holiday')");
  const inactive = await addDoctor(db, { timezone: 'UTC' });
  await q('UPDATE doctors SET active = false WHERE id = $1', [inactive]);

  let listed = 0;
  for (const [from, to] of windows) {
    const { rows } = await q(
      `WITH kinds AS (
         SELECT d.id AS doctor_id, k.type_id FROM doctors d
         CROSS JOIN LATERAL (SELECT NULL::integer AS type_id UNION ALL SELECT t.id FROM appointment_types t WHERE t.doctor_id = d.id) k
       ), listed AS (
         SELECT k.doctor_id, k.type_id, s.slot_start, s.slot_end, s.appointment_type_id
         FROM kinds k
         CROSS JOIN generate_series($1::date - 1, $2::date + 1, interval '1 day') day
         CROSS JOIN LATERAL schedule_slots(k.doctor_id, day::date, k.type_id) s
       ), probed AS (
         SELECT k.doctor_id, k.type_id, s.slot_start, s.slot_end, s.appointment_type_id
         FROM kinds k
         CROSS JOIN generate_series($1::timestamptz, $2::timestamptz, interval '5 minutes') t
         CROSS JOIN LATERAL schedule_slot_at(k.doctor_id, t, k.type_id) s
       ), windowed AS (
         SELECT * FROM listed WHERE slot_start BETWEEN $1::timestamptz AND $2::timestamptz
       )
       SELECT (SELECT count(*)::int FROM windowed) AS listed,
              (SELECT json_agg(x) FROM (SELECT * FROM windowed EXCEPT SELECT * FROM probed) x) AS only_listed,
              (SELECT json_agg(x) FROM (SELECT * FROM probed EXCEPT SELECT * FROM windowed) x) AS only_probed,
              (SELECT count(*) - count(DISTINCT (doctor_id, type_id, slot_start)) FROM probed)::int AS repeated`,
      [from, to],
    );
    assert.equal(rows[0].only_listed, null, `listed but refused between ${from} and ${to}: ${JSON.stringify(rows[0].only_listed)}`);
    assert.equal(rows[0].only_probed, null, `accepted but not listed between ${from} and ${to}: ${JSON.stringify(rows[0].only_probed)}`);
    assert.equal(rows[0].repeated, 0);
    listed += rows[0].listed;
  }
  // The comparison compared something: every doctor has slots in these windows.
  assert.ok(listed > 500, `slots compared: ${listed}`);
  // Off the grid by a minute, or a second, is no slot.
  const { rows } = await q("SELECT count(*)::int AS n FROM schedule_slot_at($1, '2027-06-01 09:01+01', NULL) UNION ALL SELECT count(*)::int FROM schedule_slot_at($1, '2027-06-01 09:00:01+01', NULL) UNION ALL SELECT count(*)::int FROM schedule_slot_at($1, '2027-06-01 09:00+01', NULL)", [london]);
  assert.deepEqual(rows.map((r) => r.n), [0, 0, 1]);
});
