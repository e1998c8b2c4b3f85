// OEE over time with its three factors, one point per hour, shift or day of the site. A bucket where a figure does
// not apply (no planned time) is a gap in the line, not a drop to zero. Days and shifts can be zoomed into; the
// same series is available as a table for those who do not read charts.
import type { TKpiBucket } from '@takt/contracts';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n, type TI18n } from '../../../lib/i18n/i18n.tsx';
import type { TTrendPoint } from './oee-format.ts';

const LINES = [
  { key: 'oee', color: '#17202b', width: 3 },
  { key: 'availability', color: '#1f55c0', width: 1.5 },
  { key: 'performance', color: '#a35f00', width: 1.5 },
  { key: 'quality', color: '#17803a', width: 1.5 },
] as const;

/** The chart's points hold percentages; the text is the share with one decimal. */
const percentOf = (format: TI18n['format'], value: number | null) =>
  format.percent(value === null ? null : value / 100);

function TrendTooltip({ active, point }: { active: boolean; point: TTrendPoint | undefined }) {
  const { t, format } = useI18n();
  if (!active || point === undefined) return null;
  return (
    <div className="chart-tooltip">
      <strong>{point.title}</strong>
      {LINES.map((line) => (
        <div key={line.key}>
          <span className="chart-tooltip-swatch" style={{ background: line.color }} aria-hidden="true" />
          {t(`kpi.${line.key}`)}: {percentOf(format, point[line.key])}
        </div>
      ))}
      <div className="chart-tooltip-note">
        {t('oee.trendCounts', { good: format.count(point.goodCount), scrap: format.count(point.rejectCount) })}
      </div>
    </div>
  );
}

export function OeeTrendChart({
  points,
  bucket,
  onZoom,
}: {
  points: TTrendPoint[];
  bucket: TKpiBucket;
  /** Zoom into a day or shift; null where zooming makes no sense (hours). */
  onZoom: ((point: TTrendPoint) => void) | null;
}) {
  const { t, format } = useI18n();
  if (points.length === 0) return <p className="panel-muted">{t('oee.trendEmpty')}</p>;
  const highest = Math.max(100, ...points.flatMap((p) => LINES.map((line) => p[line.key] ?? 0)));
  return (
    <>
      <figure className="oee-chart" aria-label={t(`oee.trendAria.${bucket}`)}>
        <figcaption className="oee-chart-legend">
          {LINES.map((line) => (
            <span key={line.key}>
              <span className="chart-tooltip-swatch" style={{ background: line.color }} aria-hidden="true" />
              {t(`kpi.${line.key}`)}
            </span>
          ))}
          <span className="oee-chart-hint">
            {points.some((p) => p.oee === null) ? `${t('oee.trendGaps')} ` : ''}
            {onZoom === null ? '' : t(`oee.trendZoom.${bucket}`)}
          </span>
        </figcaption>
        <ResponsiveContainer width="100%" height={280}>
          <LineChart
            data={points}
            margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
            style={onZoom === null ? undefined : { cursor: 'pointer' }}
            onClick={(state) => {
              const point = points[Number(state.activeTooltipIndex)];
              if (onZoom !== null && point !== undefined) onZoom(point);
            }}
          >
            <CartesianGrid stroke="#d3d9e1" vertical={false} />
            <XAxis dataKey="axisLabel" tick={{ fontSize: 12 }} minTickGap={16} />
            <YAxis
              domain={[0, Math.ceil(highest / 10) * 10]}
              tick={{ fontSize: 13 }}
              unit=" %"
              width={64}
              allowDecimals={false}
            />
            {highest > 100 ? <ReferenceLine y={100} stroke="#a35f00" strokeDasharray="4 4" /> : null}
            <Tooltip
              content={({ active, payload }) => (
                <TrendTooltip active={active} point={payload[0]?.payload as TTrendPoint | undefined} />
              )}
            />
            {LINES.map((line) => (
              <Line
                key={line.key}
                dataKey={line.key}
                name={t(`kpi.${line.key}`)}
                stroke={line.color}
                strokeWidth={line.width}
                dot={points.length <= 48 ? { r: line.key === 'oee' ? 3 : 2 } : false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <details className="oee-series-table">
        <summary>{t('oee.trendTable')}</summary>
        <div className="oee-table-scroll">
          <table className="data-table">
            <caption className="visually-hidden">{t(`oee.trendCaption.${bucket}`)}</caption>
            <thead>
              <tr>
                <th scope="col">{t(`oee.bucket.${bucket}`)}</th>
                {LINES.map((line) => (
                  <th key={line.key} scope="col" className="is-numeric">
                    {t(`kpi.${line.key}`)}
                  </th>
                ))}
                <th scope="col" className="is-numeric">
                  {t('common.good')}
                </th>
                <th scope="col" className="is-numeric">
                  {t('common.scrap')}
                </th>
              </tr>
            </thead>
            <tbody>
              {points.map((point) => (
                <tr key={`${point.fromMs}-${point.axisLabel}`}>
                  <th scope="row">
                    {onZoom === null ? (
                      point.title
                    ) : (
                      <button className="oee-link-button" type="button" onClick={() => onZoom(point)}>
                        {point.title}
                      </button>
                    )}
                  </th>
                  {LINES.map((line) => (
                    <td key={line.key} className="is-numeric">
                      {percentOf(format, point[line.key])}
                    </td>
                  ))}
                  <td className="is-numeric">{format.count(point.goodCount)}</td>
                  <td className="is-numeric">{format.count(point.rejectCount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
