/**
 * Loads a server someone else started (a newcomer's `npm start`) the way issue 15's outsider
 * did: autocannon, `--connections` for `--duration` seconds, every POST a fresh free slot found
 * through the slots API. `--order doctor` hands slots out as the bench's supply finds them (all
 * of one doctor's day, then the next doctor's), `--order shuffled` mixes doctors, which decides
 * how often two bookings in flight wait on the same doctor's lock. With `--server-pid` and
 * `--postgres-pid` (the postmaster) it prints CPU per booking from /proc. Since the booking
 * limits (20 bookings an hour per address) a server started without BOOKING_LIMITS=off or
 * raised BOOKING_RATE_PER_ADDRESS answers almost everything from one address with 429.
 *
 *   tsx scripts/lib/bench/newcomer.ts --url http://127.0.0.1:18080 --order shuffled --server-pid N --postgres-pid M
 */
import { parseArgs } from 'node:util';
import { runHttp, summarise } from './load';
import { get, processCpuSeconds, processTreeCpuSeconds } from './processes';
import { SlotSupply, type FreeSlot } from './slots';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:8080' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
      order: { type: 'string', default: 'doctor' },
      warmup: { type: 'string', default: '0' },
      'server-pid': { type: 'string' },
      'postgres-pid': { type: 'string' },
    },
  });
  const url = values.url!;
  const durationS = Number(values.duration);
  const connections = Number(values.connections);
  const warmupS = Number(values.warmup);
  if (!/^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(url)) throw new Error('--url must be a loopback address');
  const doctors = await get(`${url}/api/doctors`);
  if (doctors.status !== 200) throw new Error(`GET /api/doctors answered ${doctors.status}`);
  const doctorIds = (JSON.parse(doctors.body) as { items: Array<{ id: number }> }).items.map((d) => d.id);
  const supply = new SlotSupply(url, doctorIds);
  // More than one run can book on a 2-core machine, and few enough to stay inside the booking horizon.
  const need = Math.ceil(700 * (durationS + warmupS)) + 100;
  await supply.ensure(need);
  const slots: FreeSlot[] = [];
  for (let s = supply.take(); s && slots.length < need; s = supply.take()) slots.push(s);
  if (values.order === 'shuffled') {
    for (let i = slots.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [slots[i], slots[j]] = [slots[j], slots[i]];
    }
  }
  let at = 0;
  const load = {
    url,
    connections,
    method: 'POST' as const,
    path: '/api/appointments',
    headers: { 'content-type': 'application/json' },
    next: () => {
      const slot = slots[at++ % slots.length];
      // One contact per booking: the per-contact cap (3 future bookings) would refuse a shared one.
      return { body: JSON.stringify({ patient_name: 'Newcomer Patient', doctor_id: slot.doctorId, appointment_time: slot.start, patient_email: `newcomer+${at}@example.org` }) };
    },
  };
  if (warmupS) await runHttp({ ...load, durationS: warmupS });
  const serverPid = values['server-pid'] ? Number(values['server-pid']) : undefined;
  const postgresPid = values['postgres-pid'] ? Number(values['postgres-pid']) : undefined;
  const m = summarise([
    await runHttp(
      { ...load, durationS, progress: 'booking' },
      { server: serverPid ? () => processCpuSeconds(serverPid) : undefined, postgres: postgresPid ? () => processTreeCpuSeconds(postgresPid) : undefined },
    ),
  ]);
  console.log(
    JSON.stringify({
      url,
      order: values.order,
      connections,
      durationS,
      warmupS,
      doctors: doctorIds.length,
      slotsInHand: slots.length,
      rps: Math.round(m.rps),
      p50: m.p50,
      p99: m.p99,
      statusCodes: m.statusCodes,
      errors: m.errors,
      serverUsPerBooking: m.cpu.serverUs,
      postgresUsPerBooking: m.cpu.postgresUs,
      loadgenUsPerBooking: m.cpu.loadgenUs,
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
