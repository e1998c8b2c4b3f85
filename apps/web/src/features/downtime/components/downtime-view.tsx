// The downtime page: pick a site or line and a range; see the Pareto of unplanned down time, then every stop with
// its reason. Supervisors tick stops and give them a reason in one go, or split a stop that had two causes.
import { useMemo, useState, type ReactNode } from 'react';
import { hasRole, type TDowntimeInterval, type TRole } from '@takt/contracts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useClassifyDowntime } from '../api/classify-downtime.ts';
import { useDowntimeIntervals, type TDowntimeListParams } from '../api/get-downtime-intervals.ts';
import { usePlantScopes, type TPlantScope } from '../api/get-plant-scopes.ts';
import { useReasonTree } from '../api/get-reason-tree.ts';
import {
  kindOfSelection,
  RANGE_PRESETS,
  rangeOf,
  reasonGroupsOfKind,
  STATE_LABELS,
  type TRangePresetId,
  type TReasonGroup,
} from './downtime-choices.ts';
import { DowntimeParetoChart } from './downtime-pareto-chart.tsx';
import { ReasonSelect } from './reason-select.tsx';
import { SplitStopForm } from './split-stop-form.tsx';

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });

function ReasonCell({ stop }: { stop: TDowntimeInterval }) {
  if (stop.reason === null) return <span className="pill pill-warn">Unclassified</span>;
  const category = stop.reason.category === null ? '' : `${stop.reason.category.name} › `;
  return (
    <span title={stop.isClassified ? `Classified by ${stop.classifiedBy?.username ?? '?'}` : 'Reported by the machine'}>
      {category}
      {stop.reason.name}
      {stop.isClassified ? null : <span className="cell-note"> (machine)</span>}
    </span>
  );
}

function ClassifyBar({
  selected,
  groupsOf,
  onDone,
}: {
  selected: TDowntimeInterval[];
  groupsOf: (kind: 'PLANNED' | 'UNPLANNED') => TReasonGroup[];
  onDone: () => void;
}) {
  const [reasonId, setReasonId] = useState('');
  const classify = useClassifyDowntime({ onSuccess: onDone });
  const kind = kindOfSelection(selected);
  if (kind === null) return null;
  return (
    <div className="classify-bar" role="region" aria-label="Classify selected stops">
      <strong>{selected.length} selected</strong>
      {kind === 'MIXED' ? (
        <p className="panel-muted">Planned and unplanned stops take different reasons: select stops of one kind.</p>
      ) : (
        <>
          <ReasonSelect
            label="Reason"
            groups={groupsOf(kind)}
            value={reasonId}
            onChange={setReasonId}
            placeholder="Choose a reason…"
          />
          <button
            className="button button-primary"
            type="button"
            disabled={reasonId === '' || classify.isPending}
            onClick={() => classify.mutate({ intervalIds: selected.map((stop) => stop.id), reasonId })}
          >
            Classify {selected.length === 1 ? 'stop' : `${selected.length} stops`}
          </button>
        </>
      )}
      {classify.isError ? (
        <p className="form-alert" role="alert">
          {classify.error.message}
        </p>
      ) : null}
    </div>
  );
}

export function DowntimeView({ role }: { role: TRole }) {
  const canClassify = hasRole(role, 'SUPERVISOR');
  const scopes = usePlantScopes();
  const reasons = useReasonTree();
  const [scopeKey, setScopeKey] = useState<string | null>(null);
  const [presetId, setPresetId] = useState<TRangePresetId>('24h');
  const [isOnlyUnclassified, setIsOnlyUnclassified] = useState(false);
  const [rangeNowMs, setRangeNowMs] = useState(() => Date.now());
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(new Set());
  const [splittingId, setSplittingId] = useState<string | null>(null);

  // The first line is the default: a supervisor usually looks after one.
  const scope: TPlantScope | undefined =
    scopes.data?.find((s) => `${s.kind}:${s.id}` === scopeKey) ?? scopes.data?.find((s) => s.kind === 'line');
  const range = useMemo(() => rangeOf(presetId, rangeNowMs), [presetId, rangeNowMs]);
  const params: TDowntimeListParams | null =
    scope === undefined ? null : { scope: scope.kind, id: scope.id, ...range, isOnlyUnclassified };
  const stops = useDowntimeIntervals(params);
  const items = stops.data?.pages.flatMap((page) => page.items) ?? [];
  const selected = items.filter((stop) => selectedIds.has(stop.id));
  const groupsOf = (kind: 'PLANNED' | 'UNPLANNED') =>
    reasons.data === undefined ? [] : reasonGroupsOfKind(reasons.data, kind);
  const clearSelection = () => setSelectedIds(new Set());

  function toggle(id: string) {
    const next = new Set(selectedIds);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelectedIds(next);
  }

  if (scopes.data === undefined) {
    return (
      <section className="panel">
        <p className="panel-muted">
          {scopes.isError ? `Could not load the plant: ${scopes.error.message}` : 'Loading the plant…'}
        </p>
      </section>
    );
  }
  if (scope === undefined) {
    return (
      <section className="panel">
        <p className="panel-muted">
          No lines are configured yet. An administrator adds them under Plant configuration.
        </p>
      </section>
    );
  }

  return (
    <div className="downtime-page">
      <section className="panel filter-bar" aria-label="Filters">
        <label className="field">
          <span className="field-label">Site or line</span>
          <select
            className="field-input"
            value={`${scope.kind}:${scope.id}`}
            onChange={(event) => {
              setScopeKey(event.target.value);
              clearSelection();
            }}
          >
            {scopes.data.map((s) => (
              <option key={`${s.kind}:${s.id}`} value={`${s.kind}:${s.id}`}>
                {s.kind === 'site' ? `${s.label} (whole site)` : s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">Range</span>
          <select
            className="field-input"
            value={presetId}
            onChange={(event) => {
              setPresetId(event.target.value as TRangePresetId);
              setRangeNowMs(Date.now());
              clearSelection();
            }}
          >
            {RANGE_PRESETS.map((preset) => (
              <option key={preset.id} value={preset.id}>
                {preset.label}
              </option>
            ))}
          </select>
        </label>
        <label className="checkbox-field">
          <input
            type="checkbox"
            checked={isOnlyUnclassified}
            onChange={(event) => {
              setIsOnlyUnclassified(event.target.checked);
              clearSelection();
            }}
          />
          Only unclassified stops
        </label>
        <button className="button" type="button" onClick={() => setRangeNowMs(Date.now())}>
          Refresh
        </button>
      </section>

      <section className="panel">
        <h2 className="panel-title">Downtime Pareto</h2>
        <DowntimeParetoChart params={{ scope: scope.kind, id: scope.id, from: range.from, to: range.to }} />
      </section>

      <section className="panel">
        <h2 className="panel-title">Stops</h2>
        {canClassify ? <ClassifyBar selected={selected} groupsOf={groupsOf} onDone={clearSelection} /> : null}
        {stops.data === undefined ? (
          <p className="panel-muted">
            {stops.isError ? `Could not load the stops: ${stops.error.message}` : 'Loading stops…'}
          </p>
        ) : items.length === 0 ? (
          <p className="panel-muted">No stops in this range.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                {canClassify ? (
                  <th scope="col">
                    <span className="visually-hidden">Select</span>
                  </th>
                ) : null}
                <th scope="col">Machine</th>
                <th scope="col">State</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Reason</th>
                {canClassify ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((stop) => (
                <StopRow
                  key={stop.id}
                  stop={stop}
                  canClassify={canClassify}
                  isSelected={selectedIds.has(stop.id)}
                  onToggle={() => toggle(stop.id)}
                  isSplitting={splittingId === stop.id}
                  onSplit={() => setSplittingId(splittingId === stop.id ? null : stop.id)}
                  splitForm={
                    <SplitStopForm
                      stop={stop}
                      reasonGroups={groupsOf(stop.state === 'PLANNED_STOP' ? 'PLANNED' : 'UNPLANNED')}
                      onDone={() => setSplittingId(null)}
                    />
                  }
                />
              ))}
            </tbody>
          </table>
        )}
        {stops.hasNextPage ? (
          <button
            className="button"
            type="button"
            disabled={stops.isFetchingNextPage}
            onClick={() => void stops.fetchNextPage()}
          >
            Load older stops
          </button>
        ) : null}
      </section>
    </div>
  );
}

function StopRow({
  stop,
  canClassify,
  isSelected,
  onToggle,
  isSplitting,
  onSplit,
  splitForm,
}: {
  stop: TDowntimeInterval;
  canClassify: boolean;
  isSelected: boolean;
  onToggle: () => void;
  isSplitting: boolean;
  onSplit: () => void;
  splitForm: ReactNode;
}) {
  const columnCount = canClassify ? 7 : 5;
  return (
    <>
      <tr className={isSelected ? 'is-selected' : undefined}>
        {canClassify ? (
          <td>
            <input
              type="checkbox"
              checked={isSelected}
              onChange={onToggle}
              aria-label={`Select stop of ${stop.machine.name} at ${timeFormat.format(Date.parse(stop.startedAt))}`}
            />
          </td>
        ) : null}
        <td>{stop.machine.name}</td>
        <td>
          <span className={`state-chip state-chip-${stop.state.toLowerCase().replace('_', '-')}`}>
            {STATE_LABELS[stop.state]}
          </span>
        </td>
        <td>{timeFormat.format(Date.parse(stop.startedAt))}</td>
        <td>
          {formatDuration(stop.durationSec)}
          {stop.endedAt === null ? <span className="cell-note"> (ongoing)</span> : null}
        </td>
        <td>
          <ReasonCell stop={stop} />
        </td>
        {canClassify ? (
          <td>
            <button className="button button-small" type="button" onClick={onSplit} aria-expanded={isSplitting}>
              Split…
            </button>
          </td>
        ) : null}
      </tr>
      {isSplitting ? (
        <tr className="split-row">
          <td colSpan={columnCount}>{splitForm}</td>
        </tr>
      ) : null}
    </>
  );
}
