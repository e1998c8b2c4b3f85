// The OEE page: a scope of the plant (site → area → line → machine) over a range of the site's days. The four
// figures, where the planned time went (waterfall and losses), reliability, OEE over time, and the children worst
// first to drill into. Everything the page shows is in the URL, so a view can be shared and the back button works.
import { useEffect, useMemo, useState } from 'react';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import type { TKpiBucket, TKpiOeeResponse } from '@takt/contracts';
import { usePlantTree, type TPlantTree } from '../../../lib/get-plant-tree.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useNow } from '../../../lib/use-now.ts';
import { BROWSER_TIME_ZONE } from '../../../lib/zoned-time.ts';
import { useMtbfMttr } from '../api/get-mtbf-mttr.ts';
import { useOee, type TOeeParams } from '../api/get-oee.ts';
import { OeeBreakdownTable } from './oee-breakdown-table.tsx';
import { OeeExplainDrawer } from './oee-explain-drawer.tsx';
import { trendPointsOf } from './oee-format.ts';
import { OeeKpiTiles } from './oee-kpi-tiles.tsx';
import { OeeLossTable } from './oee-loss-table.tsx';
import { OeeLossWaterfallChart } from './oee-loss-waterfall-chart.tsx';
import { effectiveBucket, isExplainable, isLiveRange, resolveRange, type TRangeChoice } from './oee-range.ts';
import { OeeReliabilityPanel } from './oee-reliability-panel.tsx';
import { OeeTrendChart } from './oee-trend-chart.tsx';
import { OeeToolbar, ScopeBreadcrumb, scopeHref } from './oee-toolbar.tsx';
import {
  parseViewState,
  scopePathOf,
  searchOfViewState,
  withRange,
  withScope,
  zoomedInto,
  type TOeeViewState,
  type TScopeCrumb,
  type TScopeRef,
} from './oee-view-state.ts';

/** Presets roll over at the site's midnight without a reload: the clock ticks once a minute. */
const CLOCK_TICK_MS = 60_000;

/** History state marking a drawer this page opened itself, so that closing it can simply go back. */
type TExplainHistoryState = { isExplainPushed?: boolean } | null;

function machinesUnder(tree: TPlantTree, crumbs: TScopeCrumb[] | null): number | null {
  const scope = crumbs?.at(-1);
  if (scope === undefined) return null;
  if (scope.kind === 'machine') return 1;
  const lineIds = new Set(
    tree.lines
      .filter((line) => {
        if (scope.kind === 'line') return line.id === scope.id;
        const area = tree.areas.find((a) => a.id === line.areaId);
        return scope.kind === 'area' ? area?.id === scope.id : area?.siteId === scope.id;
      })
      .map((line) => line.id),
  );
  return tree.machines.filter((machine) => lineIds.has(machine.lineId)).length;
}

export function OeeView() {
  const i18n = useI18n();
  const { t, format, errorText } = i18n;
  const [searchParams, setSearchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();
  const view = useMemo(() => parseViewState(searchParams), [searchParams]);
  const tree = usePlantTree();
  const nowMs = useNow(CLOCK_TICK_MS);

  const scope: TScopeRef | null =
    view.scope ?? (tree.data?.sites[0] === undefined ? null : { kind: 'site', id: tree.data.sites[0].id });
  const crumbs = tree.data === undefined || scope === null ? null : scopePathOf(tree.data, scope);
  const site = tree.data?.sites.find((s) => s.id === crumbs?.[0]?.id);
  // The site's zone from the plant tree; for a scope the tree does not know (archived), the zone the API reported
  // for it, which the previous answer keeps while the next one loads.
  const [reportedScope, setReportedScope] = useState<TKpiOeeResponse['scope'] | null>(null);
  const timeZone = site?.timeZone ?? (reportedScope?.id === scope?.id ? reportedScope?.timeZone : undefined);
  const range = useMemo(
    () => resolveRange(view.range, nowMs, timeZone ?? BROWSER_TIME_ZONE),
    [view.range, nowMs, timeZone],
  );
  const bucket = effectiveBucket(view.bucket, range);
  const isLive = isLiveRange(range, nowMs);
  const params: TOeeParams | null =
    scope === null || (tree.data === undefined && !tree.isError)
      ? null
      : {
          scope: scope.kind,
          id: scope.id,
          from: new Date(range.fromMs).toISOString(),
          to: new Date(range.toMs).toISOString(),
          bucket,
        };
  const oee = useOee(params, isLive);
  const reliability = useMtbfMttr(params, isLive);
  const data: TKpiOeeResponse | undefined = oee.data;

  // A new scope is a new page: start reading it from the top, also when the back button brought it.
  const scopeKey = scope === null ? '' : `${scope.kind}:${scope.id}`;
  useEffect(() => {
    window.scrollTo({ top: 0 });
  }, [scopeKey]);

  // Remembered during render (React's pattern for state derived from a previous answer), not in an effect.
  if (site === undefined && data !== undefined && data.scope.id !== reportedScope?.id) setReportedScope(data.scope);

  function go(next: TOeeViewState) {
    setSearchParams(searchOfViewState(next));
  }

  function onNavigate(change: { scope?: TScopeRef; range?: TRangeChoice; bucket?: TKpiBucket }) {
    let next = view;
    if (change.scope !== undefined) next = withScope(next, change.scope);
    if (change.range !== undefined) next = withRange(next, change.range);
    if (change.bucket !== undefined) next = { ...next, bucket: change.bucket };
    go(next);
  }

  function openExplain() {
    const state: TExplainHistoryState = { isExplainPushed: true };
    setSearchParams(searchOfViewState({ ...view, isExplainOpen: true }), { state });
  }

  function closeExplain() {
    if ((location.state as TExplainHistoryState)?.isExplainPushed === true) void navigate(-1);
    else setSearchParams(searchOfViewState({ ...view, isExplainOpen: false }), { replace: true });
  }

  if (tree.data === undefined && !tree.isError) {
    return (
      <section className="panel">
        <p className="panel-muted">{t('common.loadingPlant')}</p>
      </section>
    );
  }
  if (scope === null) {
    return (
      <section className="panel">
        <p className="panel-muted">
          {tree.isError ? t('common.couldNotLoadPlant', { message: errorText(tree.error) }) : t('common.noSites')}
        </p>
      </section>
    );
  }

  // Only figures of the scope asked for: while a drill-down loads, the previous scope's stay visible but dimmed.
  const isStale = oee.isPlaceholderData;
  const zone = timeZone ?? data?.scope.timeZone ?? BROWSER_TIME_ZONE;
  const scopeName = crumbs?.at(-1)?.name ?? data?.scope.name ?? '…';
  const canExplain = scope.kind === 'machine' && isExplainable(range);
  const canZoom = bucket !== 'hour';
  const trendPoints = data === undefined ? [] : trendPointsOf(data.series, data.bucket, zone, i18n);

  return (
    <div className="oee-page">
      <section className="panel oee-controls" aria-label={t('oee.scopeAndRange')}>
        {crumbs === null ? (
          <p className="oee-breadcrumb-fallback">{scopeName}</p>
        ) : (
          <ScopeBreadcrumb view={view} crumbs={crumbs} />
        )}
        <OeeToolbar
          view={view}
          sites={tree.data?.sites ?? []}
          siteId={site?.id ?? null}
          range={range}
          bucket={bucket}
          timeZone={zone}
          onNavigate={onNavigate}
        />
        <p className="oee-range-note" data-testid="range-note">
          {t('oee.rangeNote', { range: format.range(range, zone), zone })}
          {data !== undefined && isLive
            ? t('oee.figuresUpTo', { time: format.dateTime(Date.parse(data.evaluatedTo), zone) })
            : ''}
          {oee.isFetching ? <span className="oee-updating"> · {t('common.updating')}</span> : null}
        </p>
      </section>

      {data === undefined ? (
        <section className="panel">
          <p className="panel-muted" role={oee.isError ? 'alert' : 'status'}>
            {oee.isError ? t('oee.couldNotLoad', { message: errorText(oee.error) }) : t('oee.loading')}
          </p>
        </section>
      ) : (
        <div className={isStale ? 'oee-figures-area is-stale' : 'oee-figures-area'} aria-busy={isStale}>
          {oee.isError ? (
            <p className="form-alert" role="alert">
              {t('oee.couldNotRefresh', { message: errorText(oee.error) })}
            </p>
          ) : null}
          <OeeKpiTiles figures={data.totals} onExplain={canExplain && !isStale ? openExplain : null} />
          {scope.kind === 'machine' && !canExplain ? <p className="oee-hint">{t('oee.explainTooLong')}</p> : null}

          <div className="oee-grid">
            <div className="oee-stack">
              <section className="panel" aria-labelledby="oee-waterfall-title">
                <h2 className="panel-title" id="oee-waterfall-title">
                  {t('oee.waterfallTitle')}
                </h2>
                <OeeLossWaterfallChart
                  waterfall={data.totals.lossWaterfall}
                  machineCount={tree.data === undefined ? null : machinesUnder(tree.data, crumbs)}
                />
              </section>
              <section className="panel" aria-labelledby="oee-reliability-title">
                <h2 className="panel-title" id="oee-reliability-title">
                  {t('oee.reliabilityTitle')}
                </h2>
                <OeeReliabilityPanel
                  reliability={reliability.data}
                  isReliabilityError={reliability.isError}
                  kpis={data.totals.kpis}
                />
              </section>
            </div>
            <section className="panel" aria-labelledby="oee-losses-title">
              <h2 className="panel-title" id="oee-losses-title">
                {t('oee.lossesTitle')}
              </h2>
              <OeeLossTable losses={data.losses} />
            </section>
          </div>

          <section className="panel" aria-labelledby="oee-trend-title">
            <h2 className="panel-title" id="oee-trend-title">
              {t('oee.trendTitle')}
            </h2>
            <OeeTrendChart
              points={trendPoints}
              bucket={data.bucket}
              onZoom={canZoom ? (point) => go(zoomedInto(view, { fromMs: point.fromMs, toMs: point.toMs })) : null}
            />
          </section>

          {data.children.length > 0 ? (
            <section className="panel" aria-labelledby="oee-breakdown-title">
              <h2 className="panel-title" id="oee-breakdown-title">
                {t(`oee.breakdownTitle.${data.scope.kind}`, { name: data.scope.name })}
              </h2>
              <OeeBreakdownTable
                items={data.children}
                caption={t(`oee.breakdownTitle.${data.scope.kind}`, { name: data.scope.name })}
                hrefOf={(child) => scopeHref(view, child)}
              />
            </section>
          ) : null}
        </div>
      )}

      {view.isExplainOpen && canExplain && params !== null ? (
        <OeeExplainDrawer
          params={{ scope: params.scope, id: params.id, from: params.from, to: params.to }}
          title={`${scopeName} · ${format.range(range, zone)}`}
          timeZone={zone}
          onClose={closeExplain}
        />
      ) : null}
    </div>
  );
}
