// "How was this computed?": a side panel with the arithmetic behind a machine's OEE and the data it was made from
// (GET /kpi/oee/explain): the shift calendar, time per state, parts per product with their ideal cycle times, and
// every state interval. It also says whether the reported figure matches a fresh computation from raw data.
import { SidePanel } from '../../../components/ui/side-panel.tsx';
import type { TKpiExplainResponse, TKpiFigures, TMachineState } from '@takt/contracts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useOeeExplain, type TOeeExplainParams } from '../api/get-oee-explain.ts';
import { productCountsOf, stateTotalsOf } from './oee-explain-summary.ts';
import { formatCount, formatDateTime, formatPercent, formatTime } from './oee-format.ts';

const STATE_LABELS: Record<TMachineState, string> = {
  PRODUCING: 'Producing',
  IDLE: 'Idle',
  DOWN: 'Down',
  CHANGEOVER: 'Changeover',
  PLANNED_STOP: 'Planned stop',
  NO_ORDER: 'No order',
  OFFLINE: 'Offline',
};

function Calculation({ figures }: { figures: TKpiFigures }) {
  const { components: c, kpis } = figures;
  const rows: [string, string, string][] = [
    [
      'Planned production time',
      `${formatDuration(c.shiftTimeSec)} shift time − ${formatDuration(c.plannedShutdownTimeSec)} breaks and planned stops`,
      formatDuration(c.plannedBusyTimeSec),
    ],
    [
      'Availability',
      `${formatDuration(c.runTimeSec)} run time ÷ ${formatDuration(c.plannedBusyTimeSec)} planned`,
      formatPercent(kpis.availability),
    ],
    [
      'Performance',
      `${formatDuration(c.idealProductionTimeSec)} net run time (ideal cycle time × parts) ÷ ${formatDuration(c.runTimeSec)} run time`,
      formatPercent(kpis.performance),
    ],
    [
      'Quality',
      `${formatDuration(c.goodIdealTimeSec)} fully productive (ideal cycle time × good parts) ÷ ${formatDuration(c.idealProductionTimeSec)} net run time`,
      formatPercent(kpis.quality),
    ],
    [
      'OEE',
      `availability × performance × quality = ${formatDuration(c.goodIdealTimeSec)} ÷ ${formatDuration(c.plannedBusyTimeSec)}`,
      formatPercent(kpis.oee),
    ],
  ];
  return (
    <table className="data-table oee-explain-calculation">
      <caption className="visually-hidden">Calculation</caption>
      <tbody>
        {rows.map(([name, how, result]) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>{how}</td>
            <td className="is-numeric" data-testid={`explain-${name.toLowerCase()}`}>
              <strong>{result}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExplainBody({ explain, timeZone }: { explain: TKpiExplainResponse; timeZone: string }) {
  const machine = explain.machines[0];
  const fromMs = Date.parse(explain.from);
  const toMs = Date.parse(explain.evaluatedTo);
  const states = machine === undefined ? [] : stateTotalsOf(machine.stateIntervals, fromMs, toMs);
  const products = machine === undefined ? [] : productCountsOf(machine);
  const calendar = explain.calendars.find((c) => c.lineId === machine?.lineId) ?? explain.calendars[0];
  const dateTime = (iso: string) => formatDateTime(Date.parse(iso), timeZone);
  const time = (iso: string) => formatTime(Date.parse(iso), timeZone);
  return (
    <>
      <p className={explain.isConsistent ? 'oee-explain-status is-ok' : 'oee-explain-status is-warning'} role="status">
        {explain.isConsistent
          ? 'Recomputed from the raw data below: it matches the reported figure.'
          : `The reported OEE (${formatPercent(explain.reported.kpis.oee)}) differs from a fresh computation from raw data (${formatPercent(explain.totals.kpis.oee)}): the stored hourly figures are out of date and will be refreshed.`}
      </p>

      <section aria-labelledby="explain-calculation">
        <h3 id="explain-calculation">Calculation</h3>
        <Calculation figures={explain.totals} />
      </section>

      <section aria-labelledby="explain-products">
        <h3 id="explain-products">Parts and ideal cycle times</h3>
        {products.length === 0 ? (
          <p className="panel-muted">No parts counted.</p>
        ) : (
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" className="is-numeric">
                  Good
                </th>
                <th scope="col" className="is-numeric">
                  Scrap
                </th>
                <th scope="col" className="is-numeric">
                  Ideal cycle time
                </th>
                <th scope="col" className="is-numeric">
                  Ideal time
                </th>
              </tr>
            </thead>
            <tbody>
              {products.map((product) => (
                <tr key={product.productCode}>
                  <th scope="row">{product.productCode}</th>
                  <td className="is-numeric">{formatCount(product.goodCount)}</td>
                  <td className="is-numeric">{formatCount(product.rejectCount)}</td>
                  <td className="is-numeric">
                    {product.idealCycleTimeSec === null ? (
                      <span className="pill pill-warn">Missing</span>
                    ) : (
                      `${product.idealCycleTimeSec} s (${product.idealCycleTimeSource === 'MACHINE' ? 'machine' : 'line'})`
                    )}
                  </td>
                  <td className="is-numeric">
                    {product.idealTimeSec === null ? '—' : formatDuration(product.idealTimeSec)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="explain-states">
        <h3 id="explain-states">Time per state</h3>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">State</th>
              <th scope="col" className="is-numeric">
                Intervals
              </th>
              <th scope="col" className="is-numeric">
                Time
              </th>
            </tr>
          </thead>
          <tbody>
            {states.map((state) => (
              <tr key={state.state}>
                <th scope="row">{STATE_LABELS[state.state]}</th>
                <td className="is-numeric">{state.intervalCount}</td>
                <td className="is-numeric">{formatDuration(state.durationSec)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="explain-calendar">
        <h3 id="explain-calendar">Shift calendar{calendar?.shiftPattern ? ` (${calendar.shiftPattern.code})` : ''}</h3>
        {calendar === undefined || calendar.shiftWindows.length === 0 ? (
          <p className="panel-muted">No shifts: the line has no planned production time in this range.</p>
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
                Planned downtime ({window.scope === 'LINE' ? 'line' : 'machine'}) {dateTime(window.from)}–
                {dateTime(window.to)}
                {window.reasonCode === null ? '' : ` · ${window.reasonCode}`}
                {window.note === null ? '' : ` · ${window.note}`}
              </li>
            ))}
          </ul>
        ) : null}
      </section>

      {machine === undefined ? null : (
        <details className="oee-explain-intervals">
          <summary>All {machine.stateIntervals.length} state intervals</summary>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">State</th>
                <th scope="col">Reason</th>
                <th scope="col">Product</th>
              </tr>
            </thead>
            <tbody>
              {machine.stateIntervals.map((interval) => (
                <tr key={interval.startedAt}>
                  <td>{dateTime(interval.startedAt)}</td>
                  <td>{interval.endedAt === null ? 'ongoing' : dateTime(interval.endedAt)}</td>
                  <td>{STATE_LABELS[interval.state]}</td>
                  <td>{interval.reason?.name ?? '—'}</td>
                  <td>{interval.product?.code ?? '—'}</td>
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
  const explain = useOeeExplain(params);
  return (
    <SidePanel titleId="oee-explain-title" title="How was this computed?" subtitle={title} onClose={onClose}>
      {explain.data === undefined ? (
        <p className="panel-muted" role={explain.isError ? 'alert' : 'status'}>
          {explain.isError ? `Could not load the explanation: ${explain.error.message}` : 'Loading the raw data…'}
        </p>
      ) : (
        <ExplainBody explain={explain.data} timeZone={timeZone} />
      )}
    </SidePanel>
  );
}
