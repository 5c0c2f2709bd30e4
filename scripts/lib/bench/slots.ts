import { get } from './processes';

export interface FreeSlot {
  doctorId: number;
  start: string;
}

/**
 * Free future slots, found the way a patient finds them: through the API's slots endpoint,
 * walking doctor × day from the day after tomorrow onwards. Each slot is handed out once, so
 * every booking request of a run books a different slot and is a real 201.
 */
export class SlotSupply {
  private free: FreeSlot[] = [];
  private head = 0;
  private dayOffset = 2;
  private taken = 0;
  private readonly doctorIds: number[];
  private exhausted = 0;

  constructor(private readonly baseUrl: string, doctorIds: number[]) {
    this.doctorIds = [...doctorIds];
  }

  get available(): number {
    return this.free.length - this.head;
  }

  /** Slots handed out so far, and how many times a caller found none left. */
  get stats(): { taken: number; exhausted: number } {
    return { taken: this.taken, exhausted: this.exhausted };
  }

  /** The first day offset (from today) the supply has not fetched yet: days past it are untouched by the run. */
  get nextDayOffset(): number {
    return this.dayOffset;
  }

  /** Fetches days until at least `count` free slots are in hand. */
  async ensure(count: number): Promise<void> {
    if (this.head > 0) {
      this.free = this.free.slice(this.head);
      this.head = 0;
    }
    while (this.free.length < count) {
      // A few days of every doctor at once, eight requests in flight.
      const days = Array.from({ length: 3 }, (_, i) => isoDay(this.dayOffset + i));
      this.dayOffset += days.length;
      const pairs = days.flatMap((day) => this.doctorIds.map((doctorId) => ({ doctorId, day })));
      for (let i = 0; i < pairs.length; i += 8) {
        const answers = await Promise.all(pairs.slice(i, i + 8).map((p) => this.fetchDay(p.doctorId, p.day)));
        for (const slots of answers) this.free.push(...slots);
      }
      if (this.dayOffset > 3_650) throw new Error('no free slots within ten years; is the API answering slots?');
    }
  }

  /** The next free slot, or undefined when the supply has run dry (the caller reports it). */
  take(): FreeSlot | undefined {
    const slot = this.head < this.free.length ? this.free[this.head++] : undefined;
    if (slot) this.taken++;
    else this.exhausted++;
    return slot;
  }

  private async fetchDay(doctorId: number, day: string): Promise<FreeSlot[]> {
    const { status, body } = await get(`${this.baseUrl}/api/doctors/${doctorId}/slots?date=${day}`);
    if (status !== 200) throw new Error(`slots for doctor ${doctorId} on ${day}: HTTP ${status}`);
    const parsed = JSON.parse(body) as { slots: Array<{ start: string; available: boolean }> };
    return parsed.slots.filter((s) => s.available).map((s) => ({ doctorId, start: s.start }));
  }
}

/** YYYY-MM-DD, `offset` days after today (UTC). */
export function isoDay(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}
