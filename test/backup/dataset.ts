import pg from 'pg';

/**
 * A clinic's worth of rows in every table the app writes: doctors and their hours,
 * `appointments` spread over the doctors (a tenth cancelled, contact fields sometimes absent),
 * idempotency keys, the outbox (sent and unsent, one event per booking and cancellation) and
 * the audit rows for the sent ones. Written as the owner, in one statement per table.
 */
export async function populate(ownerUrl: string, options: { doctors: number; appointments: number }): Promise<void> {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  try {
    await c.query('BEGIN');
    await c.query(
      `INSERT INTO doctors (name, specialty, timezone, slot_minutes)
       SELECT 'Dr ' || i, (ARRAY['General practice', 'Cardiology', 'Dermatology'])[1 + i % 3],
              (ARRAY['Europe/London', 'America/New_York', 'Asia/Kolkata', 'UTC'])[1 + i % 4], 30
       FROM generate_series(1, $1::int) AS i`,
      [options.doctors],
    );
    await c.query(
      `INSERT INTO working_hours (doctor_id, weekday, starts_at, ends_at)
       SELECT d.id, w, '09:00', '17:00' FROM doctors d, generate_series(1, 7) AS w`,
    );
    // Appointment i goes to the (i mod doctors)-th doctor, in its own half hour: no overlap. As
    // the app stores them since migration 007: the reference only as its SHA-256, the contact
    // sealed (here stand-in bytes: a backup copies them, it never opens them) with its key id
    // and blind index.
    await c.query(
      `INSERT INTO appointments (reference_hash, patient_name, patient_contact, contact_key_id, contact_index,
                                 doctor_id, appointment_time, end_time, status, created_at, cancelled_at)
       SELECT sha256(convert_to('ref' || i, 'UTF8')), 'Patient ' || i || ' Ünïcødé ''quoted''',
              CASE WHEN i % 3 = 0 THEN NULL ELSE sha256(convert_to('contact' || i, 'UTF8')) || sha256(convert_to('iv' || i, 'UTF8')) END,
              CASE WHEN i % 3 = 0 THEN NULL ELSE 'k1' END,
              CASE WHEN i % 3 = 0 THEN NULL ELSE sha256(convert_to('index' || i, 'UTF8')) END,
              d.ids[1 + i % cardinality(d.ids)],
              t, t + interval '30 minutes',
              CASE WHEN i % 10 = 0 THEN 'cancelled' ELSE 'booked' END,
              t - interval '7 days',
              CASE WHEN i % 10 = 0 THEN t - interval '1 day' END
       FROM generate_series(1, $1::int) AS i,
            (SELECT array_agg(id ORDER BY id) AS ids FROM doctors) AS d,
            LATERAL (SELECT timestamptz '2030-01-07 09:00Z' + (i / cardinality(d.ids)) * interval '30 minutes' AS t) AS s`,
      [options.appointments],
    );
    await c.query(
      `INSERT INTO idempotency_keys (key, request_hash, appointment_id, reference_sealed, reference_key_id)
       SELECT 'key-' || id, encode(reference_hash, 'hex'), id, sha256(reference_hash), 'k1' FROM appointments WHERE id % 5 = 0`,
    );
    await c.query(
      `INSERT INTO outbox (type, source, subject, data, attempts, sent_at)
       SELECT 'clinic.appointment.' || kind, '/clinic-booking', 'appointments/' || a.id,
              jsonb_build_object('id', a.id, 'doctor_id', a.doctor_id, 'appointment_time', a.appointment_time, 'status', a.status),
              a.id % 3, CASE WHEN a.id % 7 = 0 THEN NULL ELSE a.created_at + interval '1 minute' END
       FROM appointments a, LATERAL (SELECT 'booked' AS kind UNION ALL SELECT 'cancelled' WHERE a.status = 'cancelled') AS k
       ORDER BY a.id, kind`,
    );
    await c.query(
      `INSERT INTO audit_log (event_source, event_id, event_type, subject, event_time, appointment_id, data)
       SELECT source, event_id::text, type, subject, created_at, (data->>'id')::bigint, data
       FROM outbox WHERE sent_at IS NOT NULL ORDER BY id
       -- Since migration 020 the outbox's trigger has audited each event as it was written.
       ON CONFLICT ON CONSTRAINT audit_log_once_per_event DO NOTHING`,
    );
    await c.query('COMMIT');
    await c.query('ANALYZE');
  } catch (err) {
    await c.query('ROLLBACK').catch(() => {});
    throw err;
  } finally {
    await c.end();
  }
}

/**
 * Everything that makes two databases the same clinic: every row of every table (as its text
 * form, sorted), where each identity sequence stands, the grants, the row-level policies, the
 * constraints, triggers and indexes. A difference names the table and the first row that
 * differs.
 */
export async function snapshot(url: string): Promise<Map<string, string[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out = new Map<string, string[]>();
    const { rows: tables } = await c.query(
      "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2",
    );
    for (const { schemaname, tablename } of tables) {
      const name = `${c.escapeIdentifier(schemaname)}.${c.escapeIdentifier(tablename)}`;
      const { rows } = await c.query(`SELECT t::text AS row FROM ${name} AS t ORDER BY t::text COLLATE "C"`);
      out.set(`rows of ${schemaname}.${tablename}`, rows.map((r) => r.row as string));
    }
    const catalog: Array<[string, string]> = [
      ['sequences', 'SELECT schemaname, sequencename, last_value FROM pg_sequences ORDER BY 1, 2'],
      ['grants', "SELECT table_name, grantee, privilege_type FROM information_schema.role_table_grants WHERE table_schema = 'public' ORDER BY 1, 2, 3"],
      ['policies', 'SELECT tablename, policyname, permissive, roles::text, cmd, qual, with_check FROM pg_policies ORDER BY 1, 2'],
      ['row security', "SELECT relname, relrowsecurity FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' ORDER BY 1"],
      ['constraints', "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"],
      ['indexes', "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1"],
      ['triggers', 'SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2'],
      ['functions', "SELECT proname, pg_get_functiondef(oid) FROM pg_proc WHERE pronamespace = 'public'::regnamespace ORDER BY 1"],
      ['extensions', 'SELECT extname FROM pg_extension ORDER BY 1'],
    ];
    for (const [what, sql] of catalog) {
      const { rows } = await c.query(sql);
      out.set(what, rows.map((r) => canonical(JSON.stringify(r))));
    }
    return out;
  } finally {
    await c.end();
  }
}

/**
 * A restored CHECK is parsed again from pg_dump's text, so `a AND b AND c` may come back as one
 * AND of three where the migration's was nested: the same constraint, deparsed with other
 * parentheses. Compare definitions without them.
 */
function canonical(definition: string): string {
  return definition.replace(/[()]/g, '');
}
