/** Minutes east of UTC that `zone` keeps at `instant`, from Intl (not from the code under test). */
export function offsetMinutes(zone: string, instant: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(instant).find((p) => p.type === 'timeZoneName')!.value;
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** The first calendar day (YYYY-MM-DD) after tomorrow, within `days`, on which `zone` changes its offset. */
export function nextDstDay(zone: string, days = 170): string {
  for (let d = 2; d < days; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    if (offsetMinutes(zone, new Date(`${day}T00:00:00Z`)) !== offsetMinutes(zone, new Date(`${day}T23:00:00Z`))) return day;
  }
  throw new Error(`${zone} changes no offset in the next ${days} days`);
}

/** The instant of a wall-clock time on `day` in `zone`, taken after the day's change (a morning or later time). */
export function wallClock(zone: string, day: string, time: string): string {
  const naive = new Date(`${day}T${time}:00Z`);
  const offset = offsetMinutes(zone, new Date(naive.getTime() - offsetMinutes(zone, new Date(`${day}T12:00:00Z`)) * 60_000));
  return new Date(naive.getTime() - offset * 60_000).toISOString();
}
