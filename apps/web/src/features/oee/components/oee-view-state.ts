// What the OEE page shows, kept in the URL's search parameters (pure): the scope, the range and the bucket, and
// whether the explanation is open. A view can thus be bookmarked or sent to a colleague, and the browser's back
// button walks back up a drill-down. Anything unreadable in a hand-edited URL falls back to its default.
import { z } from 'zod';
import { ZKpiBucket, ZKpiScopeKind, type TKpiBucket, type TKpiScopeKind } from '@takt/contracts';
import type { TPlantTree } from '../../../lib/get-plant-tree.ts';
import {
  DEFAULT_RANGE_PRESET,
  isRangePresetId,
  isValidCustomRange,
  type TRangeChoice,
  type TTimeRange,
} from './oee-range.ts';

export type TScopeRef = { kind: TKpiScopeKind; id: string };

export type TOeeViewState = {
  /** null: the first site. */
  scope: TScopeRef | null;
  range: TRangeChoice;
  /** null: the range's default bucket. */
  bucket: TKpiBucket | null;
  isExplainOpen: boolean;
};

const ZId = z.uuid();

export function parseViewState(search: URLSearchParams): TOeeViewState {
  const kind = ZKpiScopeKind.safeParse(search.get('scope'));
  const id = ZId.safeParse(search.get('id'));
  const bucket = ZKpiBucket.safeParse(search.get('bucket'));
  return {
    scope: kind.success && id.success ? { kind: kind.data, id: id.data } : null,
    range: parseRange(search),
    bucket: bucket.success ? bucket.data : null,
    isExplainOpen: search.get('explain') === '1',
  };
}

function parseRange(search: URLSearchParams): TRangeChoice {
  const from = search.get('from');
  const to = search.get('to');
  if (from !== null && to !== null) {
    const custom = { fromMs: Date.parse(from), toMs: Date.parse(to) };
    if (isValidCustomRange(custom)) return { kind: 'custom', ...custom };
  }
  const presetId = search.get('range') ?? '';
  return { kind: 'preset', presetId: isRangePresetId(presetId) ? presetId : DEFAULT_RANGE_PRESET };
}

/** The search parameters of a view, defaults left out, in a fixed order (stable, readable links). */
export function searchOfViewState(state: TOeeViewState): URLSearchParams {
  const search = new URLSearchParams();
  if (state.scope !== null) {
    search.set('scope', state.scope.kind);
    search.set('id', state.scope.id);
  }
  if (state.range.kind === 'custom') {
    search.set('from', new Date(state.range.fromMs).toISOString());
    search.set('to', new Date(state.range.toMs).toISOString());
  } else if (state.range.presetId !== DEFAULT_RANGE_PRESET) {
    search.set('range', state.range.presetId);
  }
  if (state.bucket !== null) search.set('bucket', state.bucket);
  if (state.isExplainOpen) search.set('explain', '1');
  return search;
}

/** The view of another scope (a child row, a breadcrumb) over the same range and bucket. */
export function withScope(state: TOeeViewState, scope: TScopeRef): TOeeViewState {
  return { ...state, scope, isExplainOpen: false };
}

/**
 * Another range. A chosen shift bucket stays (the shift view is a deliberate choice); hours and days go back to
 * the new range's default, since hours over a month or days within one day are rarely what is wanted.
 */
export function withRange(state: TOeeViewState, range: TRangeChoice): TOeeViewState {
  return { ...state, range, bucket: state.bucket === 'shift' ? 'shift' : null, isExplainOpen: false };
}

/** Zoom into one bucket of the series (a day or a shift): that bucket becomes the range, in hours. */
export function zoomedInto(state: TOeeViewState, bucket: TTimeRange): TOeeViewState {
  return { ...state, range: { kind: 'custom', ...bucket }, bucket: null, isExplainOpen: false };
}

export type TScopeCrumb = TScopeRef & { name: string };

/**
 * The breadcrumb of a scope: its site, area, line and machine down to the scope itself, or null when the scope is
 * not in the plant tree (archived since, or the tree is older than the link).
 */
export function scopePathOf(tree: TPlantTree, scope: TScopeRef): TScopeCrumb[] | null {
  const { kind, id } = scope;
  // Each level is null above the scope's own level and undefined when the tree lacks it.
  const machine = kind === 'machine' ? tree.machines.find((m) => m.id === id) : null;
  if (machine === undefined) return null;
  const lineId = machine?.lineId ?? (kind === 'line' ? id : null);
  const line = lineId === null ? null : tree.lines.find((l) => l.id === lineId);
  if (line === undefined) return null;
  const areaId = line?.areaId ?? (kind === 'area' ? id : null);
  const area = areaId === null ? null : tree.areas.find((a) => a.id === areaId);
  if (area === undefined) return null;
  const siteId = area?.siteId ?? id;
  const site = tree.sites.find((s) => s.id === siteId);
  if (site === undefined) return null;
  const crumbs: (TScopeCrumb | null)[] = [
    { kind: 'site', id: site.id, name: site.name },
    area === null ? null : { kind: 'area', id: area.id, name: area.name },
    line === null ? null : { kind: 'line', id: line.id, name: line.name },
    machine === null ? null : { kind: 'machine', id: machine.id, name: machine.name },
  ];
  return crumbs.filter((crumb) => crumb !== null);
}
