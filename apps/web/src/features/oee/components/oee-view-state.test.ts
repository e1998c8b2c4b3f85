// The OEE view in the URL: parsing (with fallbacks for hand-edited links), writing, drilling down, changing the
// range, zooming, and the breadcrumb of a scope in the plant tree.
import { describe, expect, it } from 'vitest';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import {
  parseViewState,
  scopePathOf,
  searchOfViewState,
  withRange,
  withScope,
  zoomedInto,
  type TOeeViewState,
} from './oee-view-state.ts';

const SITE = '11111111-1111-4111-8111-111111111111';
const AREA = '22222222-2222-4222-8222-222222222222';
const LINE = '33333333-3333-4333-8333-333333333333';
const MACHINE = '44444444-4444-4444-8444-444444444444';
const OTHER = '55555555-5555-4555-8555-555555555555';

const parse = (query: string) => parseViewState(new URLSearchParams(query));
const DEFAULT_VIEW: TOeeViewState = {
  scope: null,
  range: { kind: 'preset', presetId: 'today' },
  bucket: null,
  isExplainOpen: false,
};

describe('parseViewState', () => {
  it('reads scope, preset, bucket and the open explanation', () => {
    expect(parse(`scope=line&id=${LINE}&range=last-7-days&bucket=shift&explain=1`)).toEqual({
      scope: { kind: 'line', id: LINE },
      range: { kind: 'preset', presetId: 'last-7-days' },
      bucket: 'shift',
      isExplainOpen: true,
    });
  });

  it('reads a custom range of instants', () => {
    expect(parse('from=2026-11-25T05:00:00.000Z&to=2026-11-25T13:00:00.000Z').range).toEqual({
      kind: 'custom',
      fromMs: Date.parse('2026-11-25T05:00:00Z'),
      toMs: Date.parse('2026-11-25T13:00:00Z'),
    });
  });

  it('falls back to the defaults for anything it cannot read', () => {
    expect(parse('')).toEqual(DEFAULT_VIEW);
    expect(parse(`scope=plant&id=${SITE}&range=forever&bucket=minute&explain=yes`)).toEqual(DEFAULT_VIEW);
    expect(parse('scope=line&id=not-a-uuid').scope).toBeNull();
    expect(parse(`scope=line`).scope).toBeNull();
    // Reversed, unparsable or longer than the API allows.
    expect(parse('from=2026-11-25T13:00:00Z&to=2026-11-25T05:00:00Z').range.kind).toBe('preset');
    expect(parse('from=monday&to=friday').range.kind).toBe('preset');
    expect(parse('from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z').range.kind).toBe('preset');
  });
});

describe('searchOfViewState', () => {
  it('writes a stable, minimal query that reads back to the same view', () => {
    const view: TOeeViewState = {
      scope: { kind: 'machine', id: MACHINE },
      range: { kind: 'custom', fromMs: Date.parse('2026-11-25T05:00:00Z'), toMs: Date.parse('2026-11-25T13:00:00Z') },
      bucket: 'hour',
      isExplainOpen: true,
    };
    const search = searchOfViewState(view).toString();
    expect(search).toBe(
      `scope=machine&id=${MACHINE}&from=2026-11-25T05%3A00%3A00.000Z&to=2026-11-25T13%3A00%3A00.000Z&bucket=hour&explain=1`,
    );
    expect(parse(search)).toEqual(view);
  });

  it('leaves the defaults out', () => {
    expect(searchOfViewState(DEFAULT_VIEW).toString()).toBe('');
    expect(searchOfViewState({ ...DEFAULT_VIEW, range: { kind: 'preset', presetId: 'yesterday' } }).toString()).toBe(
      'range=yesterday',
    );
  });
});

describe('drill-down and range changes', () => {
  const lineView: TOeeViewState = {
    scope: { kind: 'line', id: LINE },
    range: { kind: 'preset', presetId: 'last-7-days' },
    bucket: 'shift',
    isExplainOpen: true,
  };

  it('drills into a child over the same range and bucket, with the explanation closed', () => {
    const search = searchOfViewState(withScope(lineView, { kind: 'machine', id: MACHINE })).toString();
    expect(search).toBe(`scope=machine&id=${MACHINE}&range=last-7-days&bucket=shift`);
  });

  it('keeps a chosen shift bucket on a new range but lets hours and days follow the range', () => {
    const month = { kind: 'preset', presetId: 'last-30-days' } as const;
    expect(withRange(lineView, month).bucket).toBe('shift');
    expect(withRange({ ...lineView, bucket: 'hour' }, month).bucket).toBeNull();
    expect(withRange(lineView, month).isExplainOpen).toBe(false);
  });

  it('zooms into a bucket as a custom range with the default bucket', () => {
    const shift = { fromMs: Date.parse('2026-11-25T05:00:00Z'), toMs: Date.parse('2026-11-25T13:00:00Z') };
    expect(zoomedInto(lineView, shift)).toEqual({
      scope: { kind: 'line', id: LINE },
      range: { kind: 'custom', ...shift },
      bucket: null,
      isExplainOpen: false,
    });
  });
});

describe('scopePathOf', () => {
  const stamp = { archivedAt: null, createdAt: '', updatedAt: '', version: 1 };
  const tree: TPlantTree = {
    sites: [{ id: SITE, enterpriseId: OTHER, code: 'plant1', name: 'Plant 1', timeZone: 'Europe/Berlin', ...stamp }],
    areas: [{ id: AREA, siteId: SITE, code: 'assembly', name: 'Assembly', ...stamp }],
    lines: [{ id: LINE, areaId: AREA, code: 'line1', name: 'Line 1', shiftPatternId: null, ...stamp }],
    machines: [
      {
        id: MACHINE,
        lineId: LINE,
        code: 'press1',
        path: 'plant1/assembly/line1/press1',
        name: 'Press',
        sequence: 0,
        ...stamp,
      },
    ],
  };

  it('lists the levels from the site down to the scope', () => {
    expect(scopePathOf(tree, { kind: 'machine', id: MACHINE })).toEqual([
      { kind: 'site', id: SITE, name: 'Plant 1' },
      { kind: 'area', id: AREA, name: 'Assembly' },
      { kind: 'line', id: LINE, name: 'Line 1' },
      { kind: 'machine', id: MACHINE, name: 'Press' },
    ]);
    expect(scopePathOf(tree, { kind: 'area', id: AREA })?.map((crumb) => crumb.kind)).toEqual(['site', 'area']);
    expect(scopePathOf(tree, { kind: 'site', id: SITE })).toEqual([{ kind: 'site', id: SITE, name: 'Plant 1' }]);
  });

  it('is null for a scope the tree does not hold (archived, or a stale link)', () => {
    expect(scopePathOf(tree, { kind: 'machine', id: OTHER })).toBeNull();
    expect(scopePathOf(tree, { kind: 'line', id: OTHER })).toBeNull();
    expect(scopePathOf(tree, { kind: 'site', id: OTHER })).toBeNull();
    expect(scopePathOf({ ...tree, lines: [] }, { kind: 'machine', id: MACHINE })).toBeNull();
  });
});
