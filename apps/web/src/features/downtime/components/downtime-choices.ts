// Pure helpers of the downtime page: the time ranges on offer, which reasons fit a set of stops.
import {
  reasonKindForState,
  type TDowntimeInterval,
  type TDowntimeKind,
  type TDowntimeReasonTree,
} from '@takt/contracts';

/** The ranges on offer; each is named in the catalogue as `downtime.range.<id>`. */
export const RANGE_PRESETS = [
  { id: '8h', hours: 8 },
  { id: '24h', hours: 24 },
  { id: '7d', hours: 7 * 24 },
] as const;
export type TRangePresetId = (typeof RANGE_PRESETS)[number]['id'];

/** The range of a preset ending at the next full minute after `nowMs` (stable while the minute lasts). */
export function rangeOf(presetId: TRangePresetId, nowMs: number): { from: string; to: string } {
  const hours = RANGE_PRESETS.find((preset) => preset.id === presetId)?.hours ?? 24;
  const toMs = Math.ceil(nowMs / 60_000) * 60_000;
  return { from: new Date(toMs - hours * 3_600_000).toISOString(), to: new Date(toMs).toISOString() };
}

/** The reason kind every selected stop takes, 'MIXED' when they differ, null when nothing is selected. */
export function kindOfSelection(stops: readonly TDowntimeInterval[]): TDowntimeKind | 'MIXED' | null {
  const kinds = new Set(stops.map((stop) => reasonKindForState(stop.state)));
  if (kinds.size === 0) return null;
  if (kinds.size > 1 || kinds.has(null)) return 'MIXED';
  return [...kinds][0] ?? null;
}

export type TReasonGroup = { category: string; reasons: { id: string; label: string }[] };

/** Unarchived reasons of `kind`, grouped by category, for a <select> with <optgroup>s. */
export function reasonGroupsOfKind(tree: TDowntimeReasonTree, kind: TDowntimeKind): TReasonGroup[] {
  return tree.items
    .filter((category) => category.kind === kind && category.archivedAt === null)
    .map((category) => ({
      category: category.name,
      reasons: category.children
        .filter((reason) => reason.archivedAt === null)
        .map((reason) => ({ id: reason.id, label: `${reason.name} (${reason.code})` })),
    }))
    .filter((group) => group.reasons.length > 0);
}
