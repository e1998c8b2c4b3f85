// Overlap detection of shift patterns on concrete windows in the site's zone, far east and west of UTC too.
import { describe, expect, it } from 'vitest';
import { findShiftOverlaps } from './shift-pattern.service.ts';

const shift = (code: string, startMinute: number, durationMin: number, weekdays: number[]) => ({
  code,
  name: code,
  startMinute,
  durationMin,
  weekdays,
  breaks: [],
});

describe('findShiftOverlaps', () => {
  it.each(['UTC', 'Europe/Berlin', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'America/New_York'])(
    'finds the Sunday night → Monday overlap and accepts touching shifts in %s',
    (timeZone) => {
      const touching = [
        shift('early', 360, 480, [1, 2, 3, 4, 5, 6, 7]),
        shift('late', 840, 480, [1, 2, 3, 4, 5, 6, 7]),
      ];
      expect(findShiftOverlaps([...touching, shift('night', 1320, 480, [1, 2, 3, 4, 5, 6, 7])], timeZone)).toEqual([]);
      const errors = findShiftOverlaps([...touching, shift('night', 1320, 540, [7])], timeZone);
      expect(errors).toEqual([
        {
          path: 'body.shifts.2',
          message: expect.stringMatching(
            /^Shift "night" \(Sun 22:00–Mon 07:00\) overlaps shift "early" \(Mon 06:00–Mon 14:00\)/,
          ),
        },
      ]);
    },
  );

  it('reports each overlapping pair once, on the later shift of the list', () => {
    const errors = findShiftOverlaps(
      [shift('a', 0, 600, [1, 2, 3]), shift('b', 540, 120, [1, 2, 3]), shift('c', 590, 60, [2])],
      'UTC',
    );
    expect(errors.map((e) => e.path)).toEqual(['body.shifts.1', 'body.shifts.2', 'body.shifts.2']);
  });
});
