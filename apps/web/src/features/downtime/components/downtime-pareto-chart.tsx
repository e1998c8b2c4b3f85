// The downtime Pareto of the chosen scope and range: the ten longest causes as bars (minutes), with the
// cumulative share as a line, so that the few causes worth attacking first stand out.
import { Bar, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '../../../utils/format-duration.ts';
import { useDowntimePareto, type TParetoParams } from '../api/get-downtime-pareto.ts';

const MAX_BARS = 10;

export function DowntimeParetoChart({ params }: { params: TParetoParams }) {
  const pareto = useDowntimePareto(params);
  if (pareto.data === undefined) {
    return (
      <p className="panel-muted">
        {pareto.isError ? `Could not load the Pareto: ${pareto.error.message}` : 'Loading the downtime Pareto…'}
      </p>
    );
  }
  const bars = pareto.data.bars.slice(0, MAX_BARS).map((bar) => ({
    label: bar.label,
    minutes: Math.round((bar.durationSec / 60) * 10) / 10,
    cumulativePercent: bar.cumulativeShare === null ? null : Math.round(bar.cumulativeShare * 1000) / 10,
  }));
  if (bars.length === 0) return <p className="panel-muted">No unplanned down time in this range.</p>;
  return (
    <figure className="pareto" aria-label="Downtime Pareto">
      <figcaption className="pareto-caption">
        {formatDuration(pareto.data.totalDurationSec)} unplanned down time in {pareto.data.totalEventCount} stops
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <ComposedChart data={bars} margin={{ top: 8, right: 16, bottom: 48, left: 8 }}>
          <CartesianGrid stroke="#d3d9e1" vertical={false} />
          <XAxis dataKey="label" interval={0} angle={-25} textAnchor="end" height={70} tick={{ fontSize: 13 }} />
          <YAxis
            yAxisId="minutes"
            tick={{ fontSize: 13 }}
            label={{ value: 'min', angle: -90, position: 'insideLeft' }}
          />
          <YAxis yAxisId="share" orientation="right" domain={[0, 100]} unit="%" tick={{ fontSize: 13 }} />
          <Tooltip />
          <Bar yAxisId="minutes" dataKey="minutes" name="Down time (min)" fill="#c22a2a" isAnimationActive={false} />
          <Line
            yAxisId="share"
            dataKey="cumulativePercent"
            name="Cumulative share (%)"
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
