// "How was this computed?": a side panel with the arithmetic behind a machine's OEE and the data it was made from
// (GET /kpi/oee/explain): the shift calendar, time per state, parts per product with their ideal cycle times, and
// every state interval. It also says whether the reported figure matches a fresh computation from raw data.
import { SidePanel } from '../../../components/ui/side-panel.tsx';
import type { TKpiExplainResponse, TKpiFigures } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { useOeeExplain, type TOeeExplainParams } from '../api/get-oee-explain.ts';
import { productCountsOf, stateTotalsOf } from './oee-explain-summary.ts';

function Calculation({ figures }: { figures: TKpiFigures }) {
  const { t, format } = useI18n();
  const { components: c, kpis } = figures;
  const d = format.duration;
  // The row id names the result's test id, the same in every language.
  const rows: [id: string, name: string, how: string, result: string][] = [
    [
      'planned production time',
      t('oee.waterfall.planned'),
      t('oee.explainPlannedHow', { shift: d(c.shiftTimeSec), planned: d(c.plannedShutdownTimeSec) }),
      d(c.plannedBusyTimeSec),
    ],
    [
      'availability',
      t('kpi.availability'),
      t('oee.explainAvailabilityHow', { run: d(c.runTimeSec), planned: d(c.plannedBusyTimeSec) }),
      format.percent(kpis.availability),
    ],
    [
      'performance',
      t('kpi.performance'),
      t('oee.explainPerformanceHow', { netRun: d(c.idealProductionTimeSec), run: d(c.runTimeSec) }),
      format.percent(kpis.performance),
    ],
    [
      'quality',
      t('kpi.quality'),
      t('oee.explainQualityHow', { productive: d(c.goodIdealTimeSec), netRun: d(c.idealProductionTimeSec) }),
      format.percent(kpis.quality),
    ],
    [
      'oee',
      t('kpi.oee'),
      t('oee.explainOeeHow', { productive: d(c.goodIdealTimeSec), planned: d(c.plannedBusyTimeSec) }),
      format.percent(kpis.oee),
    ],
  ];
  return (
    <table className="data-table oee-explain-calculation">
      <caption className="visually-hidden">{t('oee.explainCalculation')}</caption>
      <tbody>
        {rows.map(([id, name, how, result]) => (
          <tr key={id}>
            <th scope="row">{name}</th>
            <td>{how}</td>
            <td className="is-numeric" data-testid={`explain-${id}`}>
              <strong>{result}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExplainBody({ explain, timeZone }: { explain: TKpiExplainResponse; timeZone: string }) {
  const { t, format } = useI18n();
  const machine = explain.machines[0];
  const fromMs = Date.parse(explain.from);
  const toMs = Date.parse(explain.evaluatedTo);
  const states = machine === undefined ? [] : stateTotalsOf(machine.stateIntervals, fromMs, toMs);
  const products = machine === undefined ? [] : productCountsOf(machine);
  const calendar = explain.calendars.find((c) => c.lineId === machine?.lineId) ?? explain.calendars[0];
  const dateTime = (iso: string) => format.dateTime(Date.parse(iso), timeZone);
  const time = (iso: string) => format.time(Date.parse(iso), timeZone);
  return (
    <>
      <p className={explain.isConsistent ? 'oee-explain-status is-ok' : 'oee-explain-status is-warning'} role="status">
        {explain.isConsistent
          ? t('oee.explainConsistent')
          : t('oee.explainInconsistent', {
              reported: format.percent(explain.reported.kpis.oee),
              fresh: format.percent(explain.totals.kpis.oee),
            })}
      </p>

      <section aria-labelledby="explain-calculation">
        <h3 id="explain-calculation">{t('oee.explainCalculation')}</h3>
        <Calculation figures={explain.totals} />
      </section>

      <section aria-labelledby="explain-products">
        <h3 id="explain-products">{t('oee.explainProducts')}</h3>
        {products.length === 0 ? (
          <p className="panel-muted">{t('oee.explainNoParts')}</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('common.product')}</th>
                <th scope="col" className="is-numeric">
                  {t('common.good')}
                </th>
                <th scope="col" className="is-numeric">
                  {t('common.scrap')}
                </th>
                <th scope="col" className="is-numeric">
                  {t('oee.idealCycleTime')}
                </th>
                <th scope="col" className="is-numeric">
                  {t('oee.idealTime')}
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.productCode ?? ''}>
                  <th scope="row">
                    {product.productCode === null ? (
                      t('common.noProduct')
                    ) : (
                      <span translate="no">{product.productCode}</span>
                    )}
                  </th>
                  <td className="is-numeric">{format.count(product.goodCount)}</td>
                  <td className="is-numeric">{format.count(product.rejectCount)}</td>
                  <td className="is-numeric">
                    {product.idealCycleTimeSec === null ? (
                      <span className="pill pill-warn">{t('oee.missing')}</span>
                    ) : (
                      t(product.idealCycleTimeSource === 'MACHINE' ? 'oee.cycleTimeOfMachine' : 'oee.cycleTimeOfLine', {
                        seconds: product.idealCycleTimeSec,
                      })
                    )}
                  </td>
                  <td className="is-numeric">
                    {product.idealTimeSec === null ? '—' : format.duration(product.idealTimeSec)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="explain-states">
        <h3 id="explain-states">{t('oee.explainStates')}</h3>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">{t('common.state')}</th>
              <th scope="col" className="is-numeric">
                {t('oee.intervals')}
              </th>
              <th scope="col" className="is-numeric">
                {t('common.time')}
              </th>
            </tr>
          </thead>
          <tbody>
            {states.map((state) => (
              <tr key={state.state}>
                <th scope="row">{t(`state.${state.state}`)}</th>
                <td className="is-numeric">{format.count(state.intervalCount)}</td>
                <td className="is-numeric">{format.duration(state.durationSec)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="explain-calendar">
        <h3 id="explain-calendar">
          {calendar?.shiftPattern
            ? t('oee.explainCalendarOf', { pattern: calendar.shiftPattern.code })
            : t('oee.explainCalendar')}
        </h3>
        {calendar === undefined || calendar.shiftWindows.length === 0 ? (
          <p className="panel-muted">{t('oee.explainNoShifts')}</p>
        ) : (
          <ul className="oee-explain-shifts">
            {calendar.shiftWindows.map((shift) => (
              <li key={`${shift.shiftDate}-${shift.shiftCode}`}>
                <strong>
                  {shift.shiftCode} · {dateTime(shift.from)}–{time(shift.to)}
                </strong>
                {shift.breaks.length === 0
                  ? null
                  : ` · ${shift.breaks.map((b) => `${b.name} ${time(b.from)}–${time(b.to)}`).join(', ')}`}
              </li>
            ))}
          </ul>
        )}
        {machine !== undefined && machine.plannedDowntime.length > 0 ? (
          <ul className="oee-explain-shifts">
            {machine.plannedDowntime.map((window) => (
              <li key={`${window.from}-${window.to}`}>
                {t(window.scope === 'LINE' ? 'oee.plannedDowntimeLine' : 'oee.plannedDowntimeMachine', {
                  from: dateTime(window.from),
                  to: dateTime(window.to),
                })}
                {window.reasonCode === null ? '' : ` · ${window.reasonCode}`}
                {window.note === null ? '' : ` · ${window.note}`}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {machine === undefined ? null : (
        <details className="oee-explain-intervals">
          <summary>{t('oee.allIntervals', { count: machine.stateIntervals.length })}</summary>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t('common.from')}</th>
                <th scope="col">{t('common.to')}</th>
                <th scope="col">{t('common.state')}</th>
                <th scope="col">{t('common.reason')}</th>
                <th scope="col">{t('common.product')}</th>
              </tr>
            </thead>
            <tbody>
              {machine.stateIntervals.map((interval) => (
                <tr key={interval.startedAt}>
                  <td>{dateTime(interval.startedAt)}</td>
                  <td>{interval.endedAt === null ? t('common.ongoing') : dateTime(interval.endedAt)}</td>
                  <td>{t(`state.${interval.state}`)}</td>
                  <td translate="no">{interval.reason?.name ?? '—'}</td>
                  <td translate="no">{interval.product?.code ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </>
  );
}

export function OeeExplainDrawer({
  params,
  title,
  timeZone,
  onClose,
}: {
  params: TOeeExplainParams;
  title: string;
  timeZone: string;
  onClose: () => void;
}) {
  const { t, errorText } = useI18n();
  const explain = useOeeExplain(params);
  return (
    <SidePanel titleId="oee-explain-title" title={t('oee.explain')} subtitle={title} onClose={onClose}>
      {explain.data === undefined ? (
        <p className="panel-muted" role={explain.isError ? 'alert' : 'status'}>
          {explain.isError
            ? t('oee.explainCouldNotLoad', { message: errorText(explain.error) })
            : t('oee.explainLoading')}
        </p>
      ) : (
        <ExplainBody explain={explain.data} timeZone={timeZone} />
      )}
    </SidePanel>
  );
}
