// The demo plant as data: Acme Manufacturing with two sites, its products and ideal cycle times, shift
// patterns and the downtime reason tree. The seed writes exactly this, keyed by these stable codes.
import type { TShiftDefinition } from '@takt/kpi';

/** What a machine does; decides which faults it typically has (see MACHINE_FAULTS). */
export type MachineKind =
  | 'press'
  | 'screwdriver'
  | 'leak-tester'
  | 'marker'
  | 'packer'
  | 'cnc'
  | 'drill'
  | 'grinder'
  | 'welder'
  | 'washer'
  | 'vision'
  | 'depalletizer'
  | 'filler'
  | 'capper'
  | 'labeler'
  | 'case-packer'
  | 'palletizer';

export type MachineSpec = { code: string; name: string; kind: MachineKind };

export type LineProductSpec = { productCode: string; idealCycleTimeSec: number };

export type LineSpec = {
  code: string;
  name: string;
  shiftPatternCode: string;
  /** Products this line makes, with the line's ideal cycle time (seconds per unit, all its machines). */
  products: readonly LineProductSpec[];
  /** In flow order; `sequence` is the index. */
  machines: readonly MachineSpec[];
};

export type AreaSpec = { code: string; name: string; lines: readonly LineSpec[] };

export type ShiftSpec = TShiftDefinition & { name: string };

export type ShiftPatternSpec = { code: string; name: string; shifts: readonly ShiftSpec[] };

export type SiteSpec = {
  code: string;
  name: string;
  timeZone: string;
  shiftPatterns: readonly ShiftPatternSpec[];
  areas: readonly AreaSpec[];
};

export type ReasonCategorySpec = {
  code: string;
  name: string;
  kind: 'PLANNED' | 'UNPLANNED';
  reasons: readonly { code: string; name: string }[];
};

export const DEMO_ENTERPRISE = { code: 'acme', name: 'Acme Manufacturing' } as const;

export const DEMO_PRODUCTS: readonly { code: string; name: string }[] = [
  { code: 'BRK-1001', name: 'Brake caliper 42 mm' },
  { code: 'BRK-1002', name: 'Brake caliper 48 mm' },
  { code: 'BRK-2001', name: 'Brake disc 320 mm' },
  { code: 'HUB-3001', name: 'Wheel hub assembly' },
  { code: 'SHF-4001', name: 'Drive shaft' },
  { code: 'GBX-5001', name: 'Gearbox housing' },
  { code: 'BTL-6001', name: 'Brake fluid DOT 4, 0.5 l' },
  { code: 'BTL-6002', name: 'Brake fluid DOT 4, 1 l' },
  { code: 'CLN-7001', name: 'Brake cleaner spray 500 ml' },
  { code: 'GRS-8001', name: 'Grease cartridge 400 g' },
];

const COFFEE_BREAK = { name: 'Coffee break', durationMin: 15 } as const;
const MEAL_BREAK = { name: 'Meal break', durationMin: 30 } as const;
const MONDAY_TO_FRIDAY = [1, 2, 3, 4, 5] as const;

/** German three-shift operation, Monday to Friday; the night shift crosses midnight. */
const THREE_BY_EIGHT: ShiftPatternSpec = {
  code: '3x8',
  name: '3 × 8 h, Monday to Friday',
  shifts: [
    {
      code: 'early',
      name: 'Early shift',
      startMinute: 6 * 60,
      durationMin: 480,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [
        { ...COFFEE_BREAK, offsetMin: 120 },
        { ...MEAL_BREAK, offsetMin: 240 },
      ],
    },
    {
      code: 'late',
      name: 'Late shift',
      startMinute: 14 * 60,
      durationMin: 480,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [
        { ...COFFEE_BREAK, offsetMin: 120 },
        { ...MEAL_BREAK, offsetMin: 240 },
      ],
    },
    {
      code: 'night',
      name: 'Night shift',
      startMinute: 22 * 60,
      durationMin: 480,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [
        { ...COFFEE_BREAK, offsetMin: 120 },
        { ...MEAL_BREAK, offsetMin: 240 },
      ],
    },
  ],
};

/** US two-shift operation of 8.5 h with an unpaid lunch; first shift also works Saturdays. */
const TWO_BY_EIGHT: ShiftPatternSpec = {
  code: '2x8',
  name: '2 × 8.5 h, 1st shift Monday to Saturday',
  shifts: [
    {
      code: 'first',
      name: '1st shift',
      startMinute: 6 * 60,
      durationMin: 510,
      weekdays: [1, 2, 3, 4, 5, 6],
      breaks: [
        { ...COFFEE_BREAK, offsetMin: 120 },
        { ...MEAL_BREAK, name: 'Lunch', offsetMin: 240 },
        { ...COFFEE_BREAK, offsetMin: 390 },
      ],
    },
    {
      code: 'second',
      name: '2nd shift',
      startMinute: 14 * 60 + 30,
      durationMin: 510,
      weekdays: MONDAY_TO_FRIDAY,
      breaks: [
        { ...COFFEE_BREAK, offsetMin: 120 },
        { ...MEAL_BREAK, name: 'Lunch', offsetMin: 240 },
        { ...COFFEE_BREAK, offsetMin: 390 },
      ],
    },
  ],
};

export const DEMO_SITES: readonly SiteSpec[] = [
  {
    code: 'plant1',
    name: 'Plant 1 — Stuttgart',
    timeZone: 'Europe/Berlin',
    shiftPatterns: [THREE_BY_EIGHT],
    areas: [
      {
        code: 'assembly',
        name: 'Assembly',
        lines: [
          {
            code: 'line1',
            name: 'Caliper assembly 1',
            shiftPatternCode: '3x8',
            products: [
              { productCode: 'BRK-1001', idealCycleTimeSec: 22 },
              { productCode: 'BRK-1002', idealCycleTimeSec: 25 },
              { productCode: 'HUB-3001', idealCycleTimeSec: 30 },
            ],
            machines: [
              { code: 'press1', name: 'Bushing press', kind: 'press' },
              { code: 'screw1', name: 'Screwing station', kind: 'screwdriver' },
              { code: 'leaktest1', name: 'Leak tester', kind: 'leak-tester' },
              { code: 'marker1', name: 'Laser marker', kind: 'marker' },
              { code: 'packer1', name: 'Packing cell', kind: 'packer' },
            ],
          },
          {
            code: 'line2',
            name: 'Caliper assembly 2',
            shiftPatternCode: '3x8',
            products: [
              { productCode: 'BRK-1001', idealCycleTimeSec: 20 },
              { productCode: 'BRK-1002', idealCycleTimeSec: 24 },
            ],
            machines: [
              { code: 'press1', name: 'Bushing press', kind: 'press' },
              { code: 'press2', name: 'Piston press', kind: 'press' },
              { code: 'screw1', name: 'Screwing station', kind: 'screwdriver' },
              { code: 'leaktest1', name: 'Leak tester', kind: 'leak-tester' },
              { code: 'packer1', name: 'Packing cell', kind: 'packer' },
            ],
          },
        ],
      },
      {
        code: 'machining',
        name: 'Machining',
        lines: [
          {
            code: 'line1',
            name: 'Disc machining',
            shiftPatternCode: '3x8',
            products: [
              { productCode: 'BRK-2001', idealCycleTimeSec: 45 },
              { productCode: 'HUB-3001', idealCycleTimeSec: 50 },
            ],
            machines: [
              { code: 'cnc1', name: 'CNC lathe 1', kind: 'cnc' },
              { code: 'cnc2', name: 'CNC lathe 2', kind: 'cnc' },
              { code: 'drill1', name: 'Drilling centre', kind: 'drill' },
              { code: 'washer1', name: 'Parts washer', kind: 'washer' },
              { code: 'vision1', name: 'Vision inspection', kind: 'vision' },
            ],
          },
        ],
      },
      {
        code: 'packaging',
        name: 'Packaging',
        lines: [
          {
            code: 'line1',
            name: 'Brake fluid filling',
            shiftPatternCode: '3x8',
            products: [
              { productCode: 'BTL-6001', idealCycleTimeSec: 2.4 },
              { productCode: 'BTL-6002', idealCycleTimeSec: 3.2 },
              { productCode: 'CLN-7001', idealCycleTimeSec: 2 },
            ],
            machines: [
              { code: 'depal1', name: 'Depalletizer', kind: 'depalletizer' },
              { code: 'filler1', name: 'Filler', kind: 'filler' },
              { code: 'capper1', name: 'Capper', kind: 'capper' },
              { code: 'labeler1', name: 'Labeler', kind: 'labeler' },
              { code: 'palletizer1', name: 'Palletizer', kind: 'palletizer' },
            ],
          },
        ],
      },
    ],
  },
  {
    code: 'plant2',
    name: 'Plant 2 — Joliet',
    timeZone: 'America/Chicago',
    shiftPatterns: [TWO_BY_EIGHT],
    areas: [
      {
        code: 'machining',
        name: 'Machining',
        lines: [
          {
            code: 'line1',
            name: 'Shaft line',
            shiftPatternCode: '2x8',
            products: [
              { productCode: 'SHF-4001', idealCycleTimeSec: 38 },
              { productCode: 'HUB-3001', idealCycleTimeSec: 42 },
            ],
            machines: [
              { code: 'cnc1', name: 'CNC turning centre', kind: 'cnc' },
              { code: 'welder1', name: 'Friction welder', kind: 'welder' },
              { code: 'grinder1', name: 'Cylindrical grinder', kind: 'grinder' },
              { code: 'vision1', name: 'Vision inspection', kind: 'vision' },
            ],
          },
          {
            code: 'line2',
            name: 'Housing line',
            shiftPatternCode: '2x8',
            products: [
              { productCode: 'GBX-5001', idealCycleTimeSec: 55 },
              { productCode: 'HUB-3001', idealCycleTimeSec: 40 },
            ],
            machines: [
              { code: 'cnc1', name: 'CNC machining centre 1', kind: 'cnc' },
              { code: 'cnc2', name: 'CNC machining centre 2', kind: 'cnc' },
              { code: 'washer1', name: 'Parts washer', kind: 'washer' },
              { code: 'leaktest1', name: 'Leak tester', kind: 'leak-tester' },
            ],
          },
        ],
      },
      {
        code: 'packaging',
        name: 'Packaging',
        lines: [
          {
            code: 'line1',
            name: 'Grease and spray packaging',
            shiftPatternCode: '2x8',
            products: [
              { productCode: 'GRS-8001', idealCycleTimeSec: 3 },
              { productCode: 'CLN-7001', idealCycleTimeSec: 2.2 },
              { productCode: 'BTL-6001', idealCycleTimeSec: 2.6 },
            ],
            machines: [
              { code: 'filler1', name: 'Filler', kind: 'filler' },
              { code: 'capper1', name: 'Capper', kind: 'capper' },
              { code: 'labeler1', name: 'Labeler', kind: 'labeler' },
              { code: 'casepacker1', name: 'Case packer', kind: 'case-packer' },
              { code: 'palletizer1', name: 'Palletizer', kind: 'palletizer' },
            ],
          },
        ],
      },
    ],
  },
];

/** Machines slower than their line for one product (the machine row wins over the line row). */
export const MACHINE_CYCLE_TIME_OVERRIDES: readonly {
  machinePath: string;
  productCode: string;
  idealCycleTimeSec: number;
}[] = [
  { machinePath: 'plant1/machining/line1/cnc1', productCode: 'BRK-2001', idealCycleTimeSec: 52 },
  { machinePath: 'plant2/machining/line2/cnc2', productCode: 'GBX-5001', idealCycleTimeSec: 58 },
  { machinePath: 'plant1/packaging/line1/labeler1', productCode: 'BTL-6002', idealCycleTimeSec: 3.6 },
];

/** Two-level reason tree; every reason inherits its category's kind. */
export const DEMO_REASON_TREE: readonly ReasonCategorySpec[] = [
  {
    code: 'MECH',
    name: 'Mechanical',
    kind: 'UNPLANNED',
    reasons: [
      { code: 'MECH-JAM', name: 'Jam / part stuck' },
      { code: 'MECH-TOOL', name: 'Tool breakage' },
      { code: 'MECH-BEARING', name: 'Bearing or spindle failure' },
      { code: 'MECH-PNEU', name: 'Pneumatic leak' },
      { code: 'MECH-HYD', name: 'Hydraulic failure' },
    ],
  },
  {
    code: 'ELEC',
    name: 'Electrical',
    kind: 'UNPLANNED',
    reasons: [
      { code: 'ELEC-SENSOR', name: 'Sensor fault' },
      { code: 'ELEC-DRIVE', name: 'Drive or servo fault' },
      { code: 'ELEC-PLC', name: 'PLC or controls fault' },
      { code: 'ELEC-POWER', name: 'Power loss' },
    ],
  },
  {
    code: 'MAT',
    name: 'Material',
    kind: 'UNPLANNED',
    reasons: [
      { code: 'MAT-SHORT', name: 'Material shortage' },
      { code: 'MAT-WRONG', name: 'Wrong material' },
      { code: 'MAT-STARVED', name: 'Starved by upstream' },
      { code: 'MAT-BLOCKED', name: 'Blocked by downstream' },
    ],
  },
  {
    code: 'QUAL',
    name: 'Quality',
    kind: 'UNPLANNED',
    reasons: [
      { code: 'QUAL-HOLD', name: 'Quality hold' },
      { code: 'QUAL-ADJUST', name: 'Process adjustment' },
      { code: 'QUAL-FAI', name: 'First-article inspection' },
    ],
  },
  {
    code: 'CO',
    name: 'Changeover',
    kind: 'UNPLANNED',
    reasons: [
      { code: 'CO-PRODUCT', name: 'Product changeover' },
      { code: 'CO-TOOL', name: 'Tool change' },
    ],
  },
  {
    code: 'PLN',
    name: 'Planned',
    kind: 'PLANNED',
    reasons: [
      { code: 'PLN-BREAK', name: 'Break' },
      { code: 'PLN-MEETING', name: 'Meeting / shift handover' },
      { code: 'PLN-PM', name: 'Planned maintenance' },
      { code: 'PLN-CLEAN', name: 'Cleaning' },
    ],
  },
];

/** Breakdown reasons typical of each kind of machine, most frequent first (they shape the Pareto chart). */
export const MACHINE_FAULTS: Readonly<Record<MachineKind, readonly string[]>> = {
  press: ['MECH-JAM', 'MECH-HYD', 'ELEC-SENSOR', 'MECH-TOOL'],
  screwdriver: ['MECH-JAM', 'ELEC-DRIVE', 'QUAL-ADJUST', 'MAT-SHORT'],
  'leak-tester': ['QUAL-ADJUST', 'MECH-PNEU', 'ELEC-SENSOR', 'QUAL-HOLD'],
  marker: ['ELEC-PLC', 'ELEC-SENSOR', 'QUAL-ADJUST'],
  packer: ['MECH-JAM', 'MAT-SHORT', 'ELEC-SENSOR', 'MECH-PNEU'],
  cnc: ['MECH-TOOL', 'MECH-BEARING', 'ELEC-DRIVE', 'QUAL-ADJUST', 'QUAL-FAI'],
  drill: ['MECH-TOOL', 'ELEC-DRIVE', 'MECH-JAM'],
  grinder: ['MECH-TOOL', 'QUAL-ADJUST', 'MECH-BEARING', 'MECH-HYD'],
  welder: ['ELEC-POWER', 'QUAL-HOLD', 'MECH-HYD', 'ELEC-PLC'],
  washer: ['MECH-PNEU', 'MAT-SHORT', 'ELEC-SENSOR'],
  vision: ['ELEC-SENSOR', 'ELEC-PLC', 'QUAL-HOLD'],
  depalletizer: ['MECH-JAM', 'MAT-SHORT', 'MAT-WRONG', 'ELEC-SENSOR'],
  filler: ['MAT-SHORT', 'MECH-JAM', 'QUAL-HOLD', 'MECH-PNEU'],
  capper: ['MECH-JAM', 'MAT-WRONG', 'ELEC-DRIVE'],
  labeler: ['MAT-SHORT', 'MECH-JAM', 'ELEC-SENSOR', 'QUAL-ADJUST'],
  'case-packer': ['MECH-JAM', 'MAT-SHORT', 'MECH-PNEU'],
  palletizer: ['MECH-JAM', 'ELEC-DRIVE', 'ELEC-POWER'],
};

/** `site/area/line/machine`, the stable path used in topics and URLs. */
export function machinePath(siteCode: string, areaCode: string, lineCode: string, machineCode: string): string {
  return `${siteCode}/${areaCode}/${lineCode}/${machineCode}`;
}

/** Breakdowns any machine may have now and then, besides its typical ones. */
export const OCCASIONAL_FAULTS: readonly string[] = [
  'MECH-JAM',
  'MECH-PNEU',
  'ELEC-SENSOR',
  'ELEC-PLC',
  'ELEC-POWER',
  'MAT-WRONG',
  'QUAL-HOLD',
];
