// The downtime Pareto of the chosen scope and range: the ten longest causes as bars (minutes), with the
// cumulative share as a line, so that the few causes worth attacking first stand out. Reasons are named as the
// plant named them; the API's other bars (no reason, a state without one) in the user's language.
import type { TKpiParetoBar } from '@takt/contracts';
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useI18n, type TI18n } from '../../../lib/i18n/i18n.tsx';
import { useDowntimePareto, type TParetoParams } from '../api/get-downtime-pareto.ts';

const MAX_BARS = 10;
/** Longer axis labels are cut (the tooltip has the whole name): slanted text must not run off the chart. */
const MAX_AXIS_LABEL_CHARS = 28;

const axisLabelOf = (label: string) =>
  label.length > MAX_AXIS_LABEL_CHARS ? `${label.slice(0, MAX_AXIS_LABEL_CHARS - 1)}…` : label;

function barLabelOf(bar: TKpiParetoBar, t: TI18n['t']): string {
  if (bar.kind === 'UNCLASSIFIED') return t('downtime.unclassifiedBar');
  if (bar.kind === 'STATE' && bar.state !== null) return t(`state.${bar.state}`);
  return bar.label;
}

export function DowntimeParetoChart({ params }: { params: TParetoParams }) {
  const { t, format, errorText } = useI18n();
  const pareto = useDowntimePareto(params);
  if (pareto.data === undefined) {
    return (
      <p className="panel-muted">
        {pareto.isError
          ? t('downtime.paretoCouldNotLoad', { message: errorText(pareto.error) })
          : t('downtime.paretoLoading')}
      </p>
    );
  }
  const bars = pareto.data.bars.slice(0, MAX_BARS).map((bar) => ({
    label: barLabelOf(bar, t),
    minutes: Math.round((bar.durationSec / 60) * 10) / 10,
    cumulativePercent: bar.cumulativeShare === null ? null : Math.round(bar.cumulativeShare * 1000) / 10,
  }));
  if (bars.length === 0) return <p className="panel-muted">{t('downtime.paretoEmpty')}</p>;
  return (
    <figure className="pareto" aria-label={t('downtime.pareto')}>
      <figcaption className="pareto-caption">
        {t('downtime.paretoCaption', {
          duration: format.duration(pareto.data.totalDurationSec),
          count: pareto.data.totalEventCount,
        })}
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={bars} margin={{ top: 8, right: 16, bottom: 48, left: 64 }}>
          <CartesianGrid stroke="#d3d9e1" vertical={false} />
          <XAxis
            dataKey="label"
            interval={0}
            angle={-25}
            textAnchor="end"
            height={70}
            tick={{ fontSize: 13 }}
            tickFormatter={axisLabelOf}
          />
          <YAxis
            yAxisId="minutes"
            tick={{ fontSize: 13 }}
            tickFormatter={(minutes: number) => format.count(minutes)}
            label={{ value: 'min', angle: -90, position: 'insideLeft' }}
          />
          <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 13 }} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? format.decimal(value, 1) : value)} />
          <Bar
            yAxisId="minutes"
            dataKey="minutes"
            name={t('downtime.paretoMinutes')}
            fill="#c22a2a"
            isAnimationActive={false}
          />
          <Line
            yAxisId="share"
            dataKey="cumulativePercent"
            name={t('downtime.paretoCumulative')}
            stroke="#1f55c0"
            strokeWidth={2}
            dot={{ r: 3 }}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </figure>
  );
}
