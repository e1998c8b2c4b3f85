// The lifecycle steps in the drawer's words: why start is not offered yet, the questions before steps that cannot
// be undone, and the history's wording.
import { describe, expect, it } from 'vitest';
import type { TWorkOrder } from '@takt/contracts';
import { createI18n } from '../../../lib/i18n/i18n.tsx';
import { confirmationOf, startBlockerOf, transitionLabelOf } from './work-order-steps.ts';

const EN = createI18n('en', 'en-US');
const DE = createI18n('de', 'de-DE');

const LINE_ID = '5e1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e';
const plain = (text: string | null) => text?.replace(/\s/g, ' ') ?? null;

function orderOf(overrides: Partial<TWorkOrder> = {}): TWorkOrder {
  return {
    id: '3d7c2e1a-5b4f-4c6d-9e8f-0a1b2c3d4e5f',
    number: 'WO-9001',
    productId: 'ad1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
    lineId: LINE_ID,
    status: 'IN_PROGRESS',
    targetQuantity: 2400,
    dueAt: null,
    startedAt: '2026-11-25T06:00:00.000Z',
    completedAt: null,
    createdAt: '2026-11-24T08:00:00.000Z',
    updatedAt: '2026-11-25T06:00:00.000Z',
    version: 4,
    production: {
      goodCount: 1200,
      scrapCount: 17,
      countedGoodCount: 1200,
      countedScrapCount: 17,
      adjustmentGoodCount: 0,
      adjustmentScrapCount: 0,
      countSource: 'line-output',
      outputMachineId: null,
      runTimeSec: 14_400,
      progress: 0.5,
      runRatePartsPerHour: 300,
      remainingRunTimeSec: 14_400,
      projectedFinishAt: null,
    },
    ...overrides,
  };
}

describe('startBlockerOf', () => {
  it('says why a released order without a line cannot start, and nothing otherwise', () => {
    expect(startBlockerOf({ status: 'RELEASED', lineId: null }, EN.t)).toMatch(/dispatch/i);
    expect(startBlockerOf({ status: 'RELEASED', lineId: LINE_ID }, EN.t)).toBeNull();
    expect(startBlockerOf({ status: 'DRAFT', lineId: null }, EN.t)).toBeNull();
  });
});

describe('confirmationOf', () => {
  it('always asks before cancelling, and says a running order frees its line', () => {
    expect(confirmationOf('cancel', orderOf({ status: 'DRAFT' }), EN)).toBe(
      'Cancel WO-9001? A cancelled order cannot be reopened.',
    );
    expect(confirmationOf('cancel', orderOf({ status: 'PAUSED' }), EN)).toMatch(/frees its line/);
  });

  it('asks before completing an order short of its target, with the figures', () => {
    expect(plain(confirmationOf('complete', orderOf(), EN))).toBe(
      'WO-9001 has 1,200 of 2,400 good parts (50.0%). Complete it anyway? A completed order cannot be restarted.',
    );
    expect(plain(confirmationOf('complete', orderOf(), DE))).toBe(
      'WO-9001 hat 1.200 von 2.400 Gutteilen (50,0 %). Trotzdem abschließen? Ein abgeschlossener Auftrag kann nicht neu gestartet werden.',
    );
  });

  it('completes an order at or over target without asking', () => {
    const done = orderOf({ production: { ...orderOf().production, goodCount: 2400, progress: 1 } });
    expect(confirmationOf('complete', done, EN)).toBeNull();
  });

  it('does not ask for steps that can be taken back', () => {
    for (const action of ['release', 'dispatch', 'start', 'pause', 'resume'] as const) {
      expect(confirmationOf(action, orderOf(), EN)).toBeNull();
    }
  });
});

describe('transitionLabelOf', () => {
  it.each([
    [null, 'DRAFT', 'Created'],
    ['DRAFT', 'RELEASED', 'Released'],
    ['RELEASED', 'RELEASED', 'Dispatched'],
    ['RELEASED', 'IN_PROGRESS', 'Started'],
    ['IN_PROGRESS', 'PAUSED', 'Paused'],
    ['PAUSED', 'IN_PROGRESS', 'Resumed'],
    ['PAUSED', 'COMPLETED', 'Completed'],
    ['RELEASED', 'CANCELLED', 'Cancelled'],
  ] as const)('%s → %s is "%s"', (fromStatus, toStatus, label) => {
    expect(transitionLabelOf({ fromStatus, toStatus }, EN.t)).toBe(label);
  });
});
