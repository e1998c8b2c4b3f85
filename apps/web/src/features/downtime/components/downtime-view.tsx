// The downtime page: pick a site or line and a range; see the Pareto of unplanned down time, then every stop with
// its reason, times on the clock of the scope's site. Supervisors tick stops and give them a reason in one go, or
// split a stop that had two causes.
import { useMemo, useState, type ReactNode } from 'react';
import { hasRole, type TDowntimeInterval, type TRole } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useClassifyDowntime } from '../api/classify-downtime.ts';
import { useDowntimeIntervals, type TDowntimeListParams } from '../api/get-downtime-intervals.ts';
import { usePlantScopes, type TPlantScope } from '../api/get-plant-scopes.ts';
import { useReasonTree } from '../api/get-reason-tree.ts';
import {
  kindOfSelection,
  RANGE_PRESETS,
  rangeOf,
  reasonGroupsOfKind,
  type TRangePresetId,
  type TReasonGroup,
} from './downtime-choices.ts';
import { DowntimeParetoChart } from './downtime-pareto-chart.tsx';
import { ReasonSelect } from './reason-select.tsx';
import { SplitStopForm } from './split-stop-form.tsx';

function ReasonCell({ stop }: { stop: TDowntimeInterval }) {
  const { t } = useI18n();
  if (stop.reason === null) return <span className="pill pill-warn">{t('downtime.unclassified')}</span>;
  const category = stop.reason.category === null ? '' : `${stop.reason.category.name} › `;
  return (
    <span
      title={
        stop.isClassified
          ? t('downtime.classifiedBy', { user: stop.classifiedBy?.username ?? '?' })
          : t('downtime.reportedByMachine')
      }
    >
      <span translate="no">
        {category}
        {stop.reason.name}
      </span>
      {stop.isClassified ? null : <span className="cell-note"> {t('downtime.machineNote')}</span>}
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
  const { t, errorText } = useI18n();
  const [reasonId, setReasonId] = useState('');
  const classify = useClassifyDowntime({ onSuccess: onDone });
  const kind = kindOfSelection(selected);
  if (kind === null) return null;
  return (
    <div className="classify-bar" role="region" aria-label={t('downtime.classifyRegion')}>
      <strong>{t('downtime.selected', { count: selected.length })}</strong>
      {kind === 'MIXED' ? (
        <p className="panel-muted">{t('downtime.mixedKinds')}</p>
      ) : (
        <>
          <ReasonSelect
            label={t('common.reason')}
            groups={groupsOf(kind)}
            value={reasonId}
            onChange={setReasonId}
            placeholder={t('downtime.chooseReason')}
          />
          <button
            className="button button-primary"
            type="button"
            disabled={reasonId === '' || classify.isPending}
            onClick={() => classify.mutate({ intervalIds: selected.map((stop) => stop.id), reasonId })}
          >
            {t('downtime.classify', { count: selected.length })}
          </button>
        </>
      )}
      {classify.isError ? (
        <p className="form-alert" role="alert">
          {errorText(classify.error)}
        </p>
      ) : null}
    </div>
  );
}

export function DowntimeView({ role }: { role: TRole }) {
  const { t, errorText } = useI18n();
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
          {scopes.isError
            ? t('common.couldNotLoadPlant', { message: errorText(scopes.error) })
            : t('common.loadingPlant')}
        </p>
      </section>
    );
  }
  if (scope === undefined) {
    return (
      <section className="panel">
        <p className="panel-muted">{t('common.noLines')}</p>
      </section>
    );
  }

  return (
    <div className="downtime-page">
      <section className="panel filter-bar" aria-label={t('common.filters')}>
        <label className="field">
          <span className="field-label">{t('downtime.scope')}</span>
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
                {s.kind === 'site' ? t('downtime.wholeSite', { site: s.label }) : s.label}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('common.range')}</span>
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
                {t(`downtime.range.${preset.id}`)}
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
          {t('downtime.onlyUnclassified')}
        </label>
        <button className="button" type="button" onClick={() => setRangeNowMs(Date.now())}>
          {t('common.refresh')}
        </button>
        <span className="cell-note">{t('common.timesIn', { zone: scope.timeZone })}</span>
      </section>

      <section className="panel">
        <h2 className="panel-title">{t('downtime.pareto')}</h2>
        <DowntimeParetoChart params={{ scope: scope.kind, id: scope.id, from: range.from, to: range.to }} />
      </section>

      <section className="panel">
        <h2 className="panel-title">{t('downtime.stops')}</h2>
        {canClassify ? <ClassifyBar selected={selected} groupsOf={groupsOf} onDone={clearSelection} /> : null}
        {stops.data === undefined ? (
          <p className="panel-muted">
            {stops.isError
              ? t('downtime.stopsCouldNotLoad', { message: errorText(stops.error) })
              : t('downtime.stopsLoading')}
          </p>
        ) : items.length === 0 ? (
          <p className="panel-muted">{t('downtime.noStops')}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                {canClassify ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('downtime.columnSelect')}</span>
                  </th>
                ) : null}
                <th scope="col">{t('common.machine')}</th>
                <th scope="col">{t('common.state')}</th>
                <th scope="col">{t('downtime.columnStarted')}</th>
                <th scope="col">{t('downtime.columnDuration')}</th>
                <th scope="col">{t('common.reason')}</th>
                {canClassify ? (
                  <th scope="col">
                    <span className="visually-hidden">{t('downtime.columnActions')}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {items.map((stop) => (
                <StopRow
                  key={stop.id}
                  stop={stop}
                  timeZone={scope.timeZone}
                  canClassify={canClassify}
                  isSelected={selectedIds.has(stop.id)}
                  onToggle={() => toggle(stop.id)}
                  isSplitting={splittingId === stop.id}
                  onSplit={() => setSplittingId(splittingId === stop.id ? null : stop.id)}
                  splitForm={
                    <SplitStopForm
                      stop={stop}
                      timeZone={scope.timeZone}
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
            {t('downtime.loadOlder')}
          </button>
        ) : null}
      </section>
    </div>
  );
}

function StopRow({
  stop,
  timeZone,
  canClassify,
  isSelected,
  onToggle,
  isSplitting,
  onSplit,
  splitForm,
}: {
  stop: TDowntimeInterval;
  timeZone: string;
  canClassify: boolean;
  isSelected: boolean;
  onToggle: () => void;
  isSplitting: boolean;
  onSplit: () => void;
  splitForm: ReactNode;
}) {
  const { t, format } = useI18n();
  const columnCount = canClassify ? 7 : 5;
  const startedAt = format.numericDateTime(Date.parse(stop.startedAt), timeZone);
  return (
    <>
      <tr className={isSelected ? 'is-selected' : undefined}>
        {canClassify ? (
          <td>
            <input
              type="checkbox"
              checked={isSelected}
              onChange={onToggle}
              aria-label={t('downtime.selectStop', { machine: stop.machine.name, time: startedAt })}
            />
          </td>
        ) : null}
        <td translate="no">{stop.machine.name}</td>
        <td>
          <span className={`state-chip state-chip-${stop.state.toLowerCase().replace('_', '-')}`}>
            {t(`state.${stop.state}`)}
          </span>
        </td>
        <td>{startedAt}</td>
        <td>
          {format.duration(stop.durationSec)}
          {stop.endedAt === null ? <span className="cell-note"> {t('downtime.ongoing')}</span> : null}
        </td>
        <td>
          <ReasonCell stop={stop} />
        </td>
        {canClassify ? (
          <td>
            <button className="button button-small" type="button" onClick={onSplit} aria-expanded={isSplitting}>
              {t('downtime.split')}
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
