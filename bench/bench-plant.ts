// The benchmark plant (shared by the data generator and the benchmarks): one site of 200 machines in 4 areas × 5
// lines × 10 machines, its shift patterns, products and downtime reasons, and the knobs read from the environment.
import type { TShiftDefinition } from '@takt/kpi';

/** Where the benchmark data lives (created from scratch by `npm run bench:data`). */
export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/takt_bench';

export const BENCH_SITE_CODE = 'bench';
export const BENCH_TIME_ZONE = 'Europe/Berlin';
export const AREA_COUNT = 4;
export const LINES_PER_AREA = 5;

const WEEKDAYS = [1, 2, 3, 4, 5];
const breaks = (offsets: readonly number[]) =>
  offsets.map((offsetMin, k) => ({ name: k === 0 ? 'coffee' : 'meal', offsetMin, durationMin: k === 0 ? 15 : 30 }));

/** Three 8-hour shifts Monday to Friday: hour-aligned edges. */
export const THREE_SHIFTS: TShiftDefinition[] = ['early', 'late', 'night'].map((code, k) => ({
  code,
  startMinute: 360 + 480 * k,
  durationMin: 480,
  weekdays: WEEKDAYS,
  breaks: breaks([120, 240]),
}));

/** Two 8.5-hour shifts starting at half past (edges inside hours), Monday to Saturday. */
export const TWO_SHIFTS: TShiftDefinition[] = [
  { code: 'A', startMinute: 390, durationMin: 510, weekdays: [1, 2, 3, 4, 5, 6], breaks: breaks([150, 270]) },
  { code: 'B', startMinute: 900, durationMin: 510, weekdays: WEEKDAYS, breaks: breaks([150, 270]) },
];

/** Every fourth line runs two shifts at half past; the others three shifts. */
export function patternCodeOfLine(lineIndex: number): '3x8' | '2x8.5' {
  return lineIndex % 4 === 3 ? '2x8.5' : '3x8';
}

export const PRODUCTS = ['P01', 'P02', 'P03', 'P04', 'P05', 'P06', 'P07', 'P08'] as const;

export const REASON_CATEGORIES = [
  { code: 'MECH', name: 'Mechanical', kind: 'UNPLANNED', reasons: ['JAM', 'MOTOR', 'BEARING', 'GRIPPER'] },
  { code: 'ELEC', name: 'Electrical', kind: 'UNPLANNED', reasons: ['SENSOR', 'DRIVE', 'PLC'] },
  { code: 'MAT', name: 'Material', kind: 'UNPLANNED', reasons: ['STARVED', 'BLOCKED', 'QUALITY_HOLD'] },
  { code: 'PLAN', name: 'Planned', kind: 'PLANNED', reasons: ['MEETING', 'CLEANING'] },
] as const;

/** Machines (default 200) and days of history (default 90); smaller values make a quick trial run. */
export const BENCH_MACHINES = Number(process.env.BENCH_MACHINES ?? 200);
export const BENCH_DAYS = Number(process.env.BENCH_DAYS ?? 90);
export const MACHINES_PER_LINE = Math.max(1, Math.ceil(BENCH_MACHINES / (AREA_COUNT * LINES_PER_AREA)));
