// The machine schedule in the site's zone (Europe/Berlin, CET +01:00 in winter, CEST +02:00 in summer): slots
// with their ends across midnight and DST changes, breaks, planned downtime, and horizon continuation.
import { describe, expect, it } from 'vitest';
import { createMachineSchedule, type MachineCalendar, type MachineSchedule } from './machine-schedule.ts';

const ms = (iso: string) => Date.parse(iso);
const iso = (tsMs: number) => new Date(tsMs).toISOString();
const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5];

const DAY_SHIFT_BERLIN: MachineCalendar = {
  timeZone: 'Europe/Berlin',
  shifts: [
    {
      code: 'day',
      startMinute: 6 * 60,
      durationMin: 8 * 60,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [{ name: 'Coffee break', offsetMin: 120, durationMin: 15 }],
    },
  ],
};

/** Night shift 22:00–06:00 Monday to Friday nights, with a meal break at 02:00 local. */
const NIGHT_SHIFT_BERLIN: MachineCalendar = {
  timeZone: 'Europe/Berlin',
  shifts: [
    {
      code: 'night',
      startMinute: 22 * 60,
      durationMin: 8 * 60,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [{ name: 'Meal break', offsetMin: 240, durationMin: 30 }],
    },
  ],
};

/** The slots from `fromMs` to `toMs` as [start, kind, reason] in UTC, following each slot's end. */
function timeline(schedule: MachineSchedule, fromMs: number, toMs: number): [string, string, string | null][] {
  const slots: [string, string, string | null][] = [];
  for (let tsMs = fromMs; tsMs < toMs;) {
    const slot = schedule.slotAt(tsMs);
    const last = slots.at(-1);
    if (last?.[1] !== slot.kind || last[2] !== slot.reasonCode) slots.push([iso(tsMs), slot.kind, slot.reasonCode]);
    expect(slot.endMs).toBeGreaterThan(tsMs);
    tsMs = slot.endMs;
  }
  return slots;
}

describe('createMachineSchedule', () => {
  it('has a day-shift line work from 06:00 to 14:00 local time with its break, and nothing scheduled at night', () => {
    const schedule = createMachineSchedule({ calendar: DAY_SHIFT_BERLIN, breakReasonCode: 'PLN-BREAK' });
    // Monday 2026-01-05, CET (+01:00).
    expect(timeline(schedule, ms('2026-01-05T00:00:00+01:00'), ms('2026-01-06T00:00:00+01:00'))).toEqual([
      ['2026-01-04T23:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-05T05:00:00.000Z', 'WORKING', null],
      ['2026-01-05T07:00:00.000Z', 'PLANNED_STOP', 'PLN-BREAK'],
      ['2026-01-05T07:15:00.000Z', 'WORKING', null],
      ['2026-01-05T13:00:00.000Z', 'NO_ORDER', null],
    ]);
    expect(schedule.slotAt(ms('2026-01-05T03:00:00+01:00'))).toEqual({
      kind: 'NO_ORDER',
      reasonCode: null,
      endMs: ms('2026-01-05T06:00:00+01:00'),
    });
  });

  it('runs a shift across midnight into the next day, the break after midnight, and skips the weekend', () => {
    const schedule = createMachineSchedule({ calendar: NIGHT_SHIFT_BERLIN, breakReasonCode: null });
    // Friday 2026-01-09 22:00 to Monday 2026-01-12 23:00: the Friday night shift runs into Saturday morning,
    // Saturday and Sunday nights have none.
    expect(timeline(schedule, ms('2026-01-09T12:00:00+01:00'), ms('2026-01-12T23:00:00+01:00'))).toEqual([
      ['2026-01-09T11:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-09T21:00:00.000Z', 'WORKING', null],
      ['2026-01-10T01:00:00.000Z', 'PLANNED_STOP', null],
      ['2026-01-10T01:30:00.000Z', 'WORKING', null],
      ['2026-01-10T05:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-12T21:00:00.000Z', 'WORKING', null],
    ]);
  });

  it.each([
    // Spring forward (02:00 → 03:00): the shift keeps its wall-clock ends and lasts 7 h; the 02:00 break,
    // a skipped wall-clock time, moves to 03:00 CEST.
    {
      night: 'spring forward 2026-03-28/29',
      fromIso: '2026-03-28T12:00:00+01:00',
      expected: [
        ['2026-03-28T11:00:00.000Z', 'NO_ORDER'],
        ['2026-03-28T21:00:00.000Z', 'WORKING'],
        ['2026-03-29T01:00:00.000Z', 'PLANNED_STOP'],
        ['2026-03-29T01:30:00.000Z', 'WORKING'],
        ['2026-03-29T04:00:00.000Z', 'NO_ORDER'],
      ],
      hours: 7,
    },
    // Fall back (03:00 → 02:00): 9 h; 02:00 happens twice and the break takes the later one, 02:00 CET.
    {
      night: 'fall back 2026-10-24/25',
      fromIso: '2026-10-24T12:00:00+02:00',
      expected: [
        ['2026-10-24T10:00:00.000Z', 'NO_ORDER'],
        ['2026-10-24T20:00:00.000Z', 'WORKING'],
        ['2026-10-25T01:00:00.000Z', 'PLANNED_STOP'],
        ['2026-10-25T01:30:00.000Z', 'WORKING'],
        ['2026-10-25T05:00:00.000Z', 'NO_ORDER'],
      ],
      hours: 9,
    },
  ])('keeps wall-clock shift times on the DST night ($night): the shift lasts $hours h', ({ fromIso, expected }) => {
    // A Saturday night shift, so that the DST change (early Sunday) falls inside it.
    const calendar = { ...NIGHT_SHIFT_BERLIN, shifts: NIGHT_SHIFT_BERLIN.shifts.map((s) => ({ ...s, weekdays: [6] })) };
    const fromMs = ms(fromIso);
    const slots = timeline(createMachineSchedule({ calendar }), fromMs, fromMs + 24 * 3600_000);
    expect(slots.map(([startIso, kind]) => [startIso, kind])).toEqual(expected);
  });

  it('puts planned downtime first, with its reason, inside and outside shifts', () => {
    const schedule = createMachineSchedule({
      calendar: DAY_SHIFT_BERLIN,
      breakReasonCode: 'PLN-BREAK',
      plannedDowntime: [
        // Maintenance over the break: one stop with the maintenance reason, not a break in between.
        { startMs: ms('2026-01-05T07:30:00+01:00'), endMs: ms('2026-01-05T09:00:00+01:00'), reasonCode: 'PLN-PM' },
        // Saturday cleaning, outside every shift.
        { startMs: ms('2026-01-10T08:00:00+01:00'), endMs: ms('2026-01-10T10:00:00+01:00'), reasonCode: 'PLN-CLEAN' },
        // Empty windows are ignored.
        { startMs: ms('2026-01-05T10:00:00+01:00'), endMs: ms('2026-01-05T10:00:00+01:00'), reasonCode: 'X' },
      ],
    });
    expect(timeline(schedule, ms('2026-01-05T00:00:00+01:00'), ms('2026-01-05T12:00:00+01:00'))).toEqual([
      ['2026-01-04T23:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-05T05:00:00.000Z', 'WORKING', null],
      ['2026-01-05T06:30:00.000Z', 'PLANNED_STOP', 'PLN-PM'],
      ['2026-01-05T08:00:00.000Z', 'WORKING', null],
    ]);
    expect(timeline(schedule, ms('2026-01-10T00:00:00+01:00'), ms('2026-01-11T00:00:00+01:00'))).toEqual([
      ['2026-01-09T23:00:00.000Z', 'NO_ORDER', null],
      ['2026-01-10T07:00:00.000Z', 'PLANNED_STOP', 'PLN-CLEAN'],
      ['2026-01-10T09:00:00.000Z', 'NO_ORDER', null],
    ]);
  });

  it('without a calendar works around the clock, except in planned downtime', () => {
    const schedule = createMachineSchedule({
      calendar: null,
      plannedDowntime: [{ startMs: ms('2026-01-05T10:00:00Z'), endMs: ms('2026-01-05T11:00:00Z'), reasonCode: null }],
    });
    expect(timeline(schedule, ms('2026-01-05T00:00:00Z'), ms('2026-01-20T00:00:00Z'))).toEqual([
      ['2026-01-05T00:00:00.000Z', 'WORKING', null],
      ['2026-01-05T10:00:00.000Z', 'PLANNED_STOP', null],
      ['2026-01-05T11:00:00.000Z', 'WORKING', null],
    ]);
  });

  it('gives the same slots whatever the horizon of one expansion', () => {
    const fromMs = ms('2026-01-01T00:00:00+01:00');
    const toMs = ms('2026-01-11T00:00:00+01:00');
    const reference = timeline(createMachineSchedule({ calendar: NIGHT_SHIFT_BERLIN }), fromMs, toMs);
    for (const horizonMs of [3600_000, 5 * 3600_000 + 7, 40 * 24 * 3600_000]) {
      expect(timeline(createMachineSchedule({ calendar: NIGHT_SHIFT_BERLIN, horizonMs }), fromMs, toMs)).toEqual(
        reference,
      );
    }
    // The breaks of New Year's Eve's night shift and of the 7 weekday nights from 1 to 9 January 2026.
    expect(reference.filter(([, kind]) => kind === 'PLANNED_STOP')).toHaveLength(8);
  });

  it('fails loudly on an unknown time zone or a malformed shift', () => {
    const badZone = createMachineSchedule({ calendar: { ...DAY_SHIFT_BERLIN, timeZone: 'Europe/Atlantis' } });
    expect(() => badZone.slotAt(0)).toThrow(/Unknown IANA time zone/);
    const shift = { ...DAY_SHIFT_BERLIN.shifts[0]!, startMinute: 1440 };
    const badShift = createMachineSchedule({ calendar: { ...DAY_SHIFT_BERLIN, shifts: [shift] } });
    expect(() => badShift.slotAt(0)).toThrow(/startMinute/);
    expect(() => createMachineSchedule({ calendar: null, horizonMs: 0 })).toThrow(RangeError);
  });
});
