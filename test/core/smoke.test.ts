import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startApp, call, type RunningApp } from '../helpers/app';
import { addDoctor, createTestDatabase, futureDate, type TestDatabase } from '../helpers/db';

let db: TestDatabase;
let app: RunningApp;
before(async () => {
  db = await createTestDatabase();
  app = await startApp(db.appUrl);
});
after(async () => {
  await app.close();
  await db.drop();
});

test('books a slot end to end', async () => {
  const doctorId = await addDoctor(db);
  const date = futureDate();
  const slots = await call(app.url, 'GET', `/api/doctors/${doctorId}/slots?date=${date}`);
  assert.equal(slots.status, 200);
  const res = await call(app.url, 'POST', '/api/appointments', { body: { patient_name: 'A', doctor_id: doctorId, appointment_time: slots.body.slots[0].start } });
  assert.equal(res.status, 201);
});
