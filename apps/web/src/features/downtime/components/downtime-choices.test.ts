import { describe, expect, it } from 'vitest';
import type { TDowntimeInterval, TDowntimeReasonTree } from '@takt/contracts';
import { kindOfSelection, rangeOf, reasonGroupsOfKind } from './downtime-choices.ts';

const stop = (state: TDowntimeInterval['state']) => ({ state }) as TDowntimeInterval;

describe('rangeOf', () => {
  it('ends at the next full minute and spans the preset', () => {
    expect(rangeOf('8h', Date.parse('2026-03-03T10:15:20Z'))).toEqual({
      from: '2026-03-03T02:16:00.000Z',
      to: '2026-03-03T10:16:00.000Z',
    });
  });
});

describe('kindOfSelection', () => {
  it('is the one kind the stops take, MIXED when they differ, null for no stop', () => {
    expect(kindOfSelection([stop('DOWN'), stop('IDLE'), stop('OFFLINE')])).toBe('UNPLANNED');
    expect(kindOfSelection([stop('PLANNED_STOP')])).toBe('PLANNED');
    expect(kindOfSelection([stop('DOWN'), stop('PLANNED_STOP')])).toBe('MIXED');
    expect(kindOfSelection([])).toBeNull();
  });
});

describe('reasonGroupsOfKind', () => {
  const reason = (id: string, kind: 'PLANNED' | 'UNPLANNED', archivedAt: string | null = null) => ({
    id,
    parentId: 'c',
    code: id.toUpperCase(),
    name: id,
    kind,
    archivedAt,
    version: 1,
  });
  const tree: TDowntimeReasonTree = {
    items: [
      {
        ...reason('mech', 'UNPLANNED'),
        parentId: null,
        children: [reason('jam', 'UNPLANNED'), reason('old', 'UNPLANNED', '2026-01-01T00:00:00Z')],
      },
      { ...reason('plan', 'PLANNED'), parentId: null, children: [reason('meeting', 'PLANNED')] },
      { ...reason('empty', 'UNPLANNED'), parentId: null, children: [] },
    ],
  };

  it('offers the unarchived reasons of the kind, by category, and no empty category', () => {
    expect(reasonGroupsOfKind(tree, 'UNPLANNED')).toEqual([
      { category: 'mech', reasons: [{ id: 'jam', label: 'jam (JAM)' }] },
    ]);
    expect(reasonGroupsOfKind(tree, 'PLANNED')).toEqual([
      { category: 'plan', reasons: [{ id: 'meeting', label: 'meeting (MEETING)' }] },
    ]);
  });
});
