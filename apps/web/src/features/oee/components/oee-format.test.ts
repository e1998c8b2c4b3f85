// Wording of the OEE figures: "n/a" instead of 0 % where a ratio does not apply, performance above 100 % flagged,
// the waterfall's floating bars, the breakdown worst first, and series labels in the site's time zone, in English
// and German.
import { describe, expect, it } from 'vitest';
import type { TKpiComponentsContract, TKpiFigures, TKpiSeriesPoint, TKpisContract } from '@takt/contracts';
import { createI18n } from '../../../lib/i18n/i18n.tsx';
import { kpiTilesOf, sortWorstFirst, trendPointsOf, waterfallBarsOf } from './oee-format.ts';

const EN = createI18n('en', 'en-US');
const DE = createI18n('de', 'de-DE');
/** Intl separates with no-break and thin spaces; the tests compare the words. */
const plain = (text: string | null | undefined) => text?.replace(/\s/g, ' ');

function components(overrides: Partial<TKpiComponentsContract> = {}): TKpiComponentsContract {
  return {
    calendarTimeSec: 28_800,
    shiftTimeSec: 28_800,
    plannedShutdownTimeSec: 1_800,
    plannedBusyTimeSec: 27_000,
    runTimeSec: 21_600,
    unplannedDownTimeSec: 5_400,
    downTimeSec: 3_600,
    idleTimeSec: 1_800,
    setupTimeSec: 0,
    offlineTimeSec: 0,
    unclassifiedDownTimeSec: 900,
    downEventCount: 3,
    goodCount: 950,
    rejectCount: 50,
    countWithIdealCycleTime: 1_000,
    countOutsidePlannedBusyTime: 0,
    idealProductionTimeSec: 18_000,
    goodIdealTimeSec: 17_100,
    missingIdealCycleTime: [],
    ...overrides,
  };
}

function kpis(overrides: Partial<TKpisContract> = {}): TKpisContract {
  return {
    availability: 0.8,
    performance: 18_000 / 21_600,
    quality: 0.95,
    oee: 17_100 / 27_000,
    teep: null,
    utilization: null,
    scrapRate: 0.05,
    throughputPerHour: null,
    mtbfSec: 7_200,
    mttrSec: 1_200,
    unclassifiedDownTimeShare: 1 / 6,
    dataGapShare: 0,
    isPerformanceAboveIdeal: false,
    hasMissingIdealCycleTime: false,
    ...overrides,
  };
}

describe('kpiTilesOf', () => {
  it('gives OEE, availability, performance and quality with what each is made of', () => {
    const tiles = kpiTilesOf({ components: components(), kpis: kpis() }, EN);
    expect(tiles.map((tile) => [tile.id, tile.text, tile.detail, tile.warning])).toEqual([
      ['oee', '63.3%', '4.8 h fully productive of 7.5 h planned', null],
      ['availability', '80.0%', '6.0 h run of 7.5 h planned', null],
      ['performance', '83.3%', '5.0 h net run of 6.0 h run', null],
      ['quality', '95.0%', '950 good of 1,000 parts', null],
    ]);
  });

  it('speaks German with German numbers', () => {
    const tiles = kpiTilesOf({ components: components(), kpis: kpis() }, DE);
    expect(tiles.map((tile) => [plain(tile.text), plain(tile.detail)])).toEqual([
      ['63,3 %', '4,8 h voll produktiv von 7,5 h geplant'],
      ['80,0 %', '6,0 h Laufzeit von 7,5 h geplant'],
      ['83,3 %', '5,0 h Nettolaufzeit von 6,0 h Laufzeit'],
      ['95,0 %', '950 Gutteile von 1.000 Teilen'],
    ]);
  });

  it('shows "n/a" and why when there is no planned time, run time or part', () => {
    const figures: TKpiFigures = {
      components: components({
        plannedBusyTimeSec: 0,
        runTimeSec: 0,
        goodCount: 0,
        rejectCount: 0,
        idealProductionTimeSec: 0,
        goodIdealTimeSec: 0,
      }),
      kpis: kpis({ availability: null, performance: null, quality: null, oee: null }),
    };
    const tiles = kpiTilesOf(figures, EN);
    expect(tiles.map((tile) => tile.text)).toEqual(['n/a', 'n/a', 'n/a', 'n/a']);
    expect(tiles.map((tile) => tile.detail)).toEqual([
      'No planned production time in this range.',
      'No planned production time in this range.',
      'No run time in this range.',
      'No parts counted in this range.',
    ]);
  });

  it('flags performance above 100 % as a likely wrong ideal cycle time, and keeps the figure', () => {
    const tiles = kpiTilesOf(
      { components: components(), kpis: kpis({ performance: 1.25, isPerformanceAboveIdeal: true }) },
      EN,
    );
    const performance = tiles.find((tile) => tile.id === 'performance');
    expect(performance?.text).toBe('125.0%');
    expect(performance?.warning).toMatch(/ideal cycle time is probably wrong/);
  });

  it('flags parts counted without any run time', () => {
    const tiles = kpiTilesOf(
      { components: components({ runTimeSec: 0 }), kpis: kpis({ performance: null, isPerformanceAboveIdeal: true }) },
      EN,
    );
    expect(tiles.find((tile) => tile.id === 'performance')?.warning).toMatch(/without any run time/);
  });

  it('says how many parts lack an ideal cycle time', () => {
    const missing = [
      { machineId: 'm1', productId: null, totalCount: 1_200 },
      { machineId: 'm2', productId: 'p', totalCount: 34 },
    ];
    const tiles = kpiTilesOf(
      { components: components({ missingIdealCycleTime: missing }), kpis: kpis({ hasMissingIdealCycleTime: true }) },
      EN,
    );
    expect(tiles.find((tile) => tile.id === 'oee')?.warning).toBe(
      '1,234 parts have no ideal cycle time and are left out of performance and OEE.',
    );
  });
});

describe('waterfallBarsOf', () => {
  const waterfall = (netRunTime: number) => ({
    seconds: {
      plannedProductionTime: 1_000,
      availabilityLoss: 200,
      runTime: 800,
      performanceLoss: 800 - netRunTime,
      netRunTime,
      qualityLoss: 50,
      fullyProductiveTime: netRunTime - 50,
    },
    availabilityLossSec: { downSec: 100, idleSec: 50, setupSec: 50, offlineSec: 0 },
    weightedIdealCycleTimeSec: null,
    parts: null,
  });

  it('stands times on the axis and floats each loss between the times it separates', () => {
    const bars = waterfallBarsOf(waterfall(600));
    expect(bars.map((bar) => [bar.key, bar.fromSec, bar.toSec, bar.kind])).toEqual([
      ['planned', 0, 1_000, 'time'],
      ['availability-loss', 800, 1_000, 'loss'],
      ['run', 0, 800, 'time'],
      ['performance-loss', 600, 800, 'loss'],
      ['net-run', 0, 600, 'time'],
      ['quality-loss', 550, 600, 'loss'],
      ['fully-productive', 0, 550, 'time'],
    ]);
    expect(bars[1]?.shareOfPlannedTime).toBe(0.2);
  });

  it('shows performance above ideal as a gain rising above run time', () => {
    const gain = waterfallBarsOf(waterfall(900))[3];
    expect(gain).toMatchObject({ kind: 'gain', fromSec: 800, toSec: 900, durationSec: -100 });
  });
});

describe('sortWorstFirst', () => {
  it('puts the worst OEE first and children where OEE does not apply last', () => {
    const child = (name: string, oee: number | null) => ({ name, kpis: { oee } });
    const sorted = sortWorstFirst([child('B', 0.7), child('Idle line', null), child('A', 0.5), child('C', 0.7)]);
    expect(sorted.map((c) => c.name)).toEqual(['A', 'B', 'C', 'Idle line']);
  });
});

describe('labels in the site time zone', () => {
  const point = (from: string, to: string, extra: Partial<TKpiSeriesPoint> = {}): TKpiSeriesPoint => ({
    from,
    to,
    localDate: null,
    shiftCode: null,
    label: '',
    components: components(),
    kpis: kpis(),
    ...extra,
  });

  it('labels hours with the site clock, not the browser clock', () => {
    const points = trendPointsOf(
      [point('2026-11-24T23:00:00.000Z', '2026-11-25T00:00:00.000Z')],
      'hour',
      'Europe/Berlin',
      EN,
    );
    expect(points[0]).toMatchObject({ axisLabel: '00:00', title: 'Wed, Nov 25, 2026, 00:00–01:00' });
    expect(points[0]?.oee).toBe(63.3);
  });

  it('labels a shift by the date it started on, also where the range clips it after midnight', () => {
    const [night] = trendPointsOf(
      [point('2026-11-18T23:00:00.000Z', '2026-11-19T05:00:00.000Z', { localDate: '2026-11-18', shiftCode: 'night' })],
      'shift',
      'Europe/Berlin',
      EN,
    );
    expect(night?.axisLabel).toBe('Wed, Nov 18 night');
    expect(night?.title).toBe('Shift night of Wed, Nov 18, 2026, 00:00–06:00');
  });

  it('draws a bucket without planned time as a gap', () => {
    const [weekend] = trendPointsOf(
      [
        point('2026-11-21T23:00:00.000Z', '2026-11-22T23:00:00.000Z', {
          kpis: kpis({ oee: null, availability: null }),
        }),
      ],
      'day',
      'Europe/Berlin',
      EN,
    );
    expect(weekend).toMatchObject({ axisLabel: 'Sun, Nov 22', oee: null, availability: null });
  });
});
