// The loss waterfall (ISO 22400 time model): planned production time falls to run time (availability loss), to
// net run time (performance loss) and to fully productive time (quality loss). Each loss floats between the two
// times it separates, so the chart reads left to right as "where did the planned time go".
import type { TKpiOeeResponse } from '@takt/contracts';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type XAxisTickContentProps,
} from 'recharts';
import { formatHours, formatPercent, formatTimeAmount, waterfallBarsOf, type TWaterfallBar } from './oee-format.ts';

const BAR_COLORS: Record<TWaterfallBar['kind'], string> = { time: '#1f55c0', loss: '#c22a2a', gain: '#a35f00' };
const RESULT_COLOR = '#17803a';

const AXIS_LABELS: Record<string, string> = {
  planned: 'Planned',
  'availability-loss': 'Availability loss',
  run: 'Run time',
  'performance-loss': 'Performance loss',
  'net-run': 'Net run',
  'quality-loss': 'Quality loss',
  'fully-productive': 'Fully productive',
};

const hoursTick = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** An axis label word by word on lines of its own: seven bars leave too little width for "Performance loss". */
function WrappedTick({ x, y, payload }: XAxisTickContentProps) {
  const words = String(payload.value).split(' ');
  return (
    <text x={x} y={y} textAnchor="middle" fontSize={12} fill="#4d5b6a">
      {words.map((word, index) => (
        <tspan key={`${index}-${word}`} x={x} dy={index === 0 ? 12 : 14}>
          {word}
        </tspan>
      ))}
    </text>
  );
}

type TChartBar = TWaterfallBar & { axisLabel: string; hours: [number, number]; caption: string };

function WaterfallTooltip({ active, bar }: { active: boolean; bar: TChartBar | undefined }) {
  if (!active || bar === undefined) return null;
  return (
    <div className="chart-tooltip">
      <strong>{bar.label}</strong>
      <div>
        {bar.kind === 'gain' ? 'Gained ' : ''}
        {formatTimeAmount(Math.abs(bar.durationSec))}
        {bar.shareOfPlannedTime === null ? '' : ` · ${formatPercent(Math.abs(bar.shareOfPlannedTime))} of planned`}
      </div>
    </div>
  );
}

export function OeeLossWaterfallChart({
  waterfall,
  machineCount,
}: {
  waterfall: TKpiOeeResponse['totals']['lossWaterfall'];
  /** Times of several machines add up; the caption says so. */
  machineCount: number | null;
}) {
  const bars: TChartBar[] = waterfallBarsOf(waterfall).map((bar) => ({
    ...bar,
    axisLabel: AXIS_LABELS[bar.key] ?? bar.label,
    hours: [bar.fromSec / 3600, bar.toSec / 3600],
    // The axis carries the unit; a bare number fits above a narrow bar.
    caption: `${{ time: '', loss: '−', gain: '+' }[bar.kind]}${formatHours(Math.abs(bar.durationSec)).replace(/ h$/, '')}`,
  }));
  if (waterfall.seconds.plannedProductionTime <= 0) {
    return <p className="panel-muted">No planned production time in this range: nothing was lost.</p>;
  }
  const loss = waterfall.availabilityLossSec;
  return (
    <figure className="oee-chart" aria-label="Loss waterfall from planned production time to fully productive time">
      <figcaption className="oee-chart-caption">
        Hours{machineCount !== null && machineCount > 1 ? `, summed over ${machineCount} machines` : ''}. Availability
        loss: {formatTimeAmount(loss.downSec)} down, {formatTimeAmount(loss.idleSec)} idle,{' '}
        {formatTimeAmount(loss.setupSec)} setup, {formatTimeAmount(loss.offlineSec)} without data.
      </figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={bars} margin={{ top: 24, right: 8, bottom: 8, left: 8 }} barCategoryGap="18%">
          <CartesianGrid stroke="#d3d9e1" vertical={false} />
          <XAxis dataKey="axisLabel" interval={0} tick={WrappedTick} height={40} />
          <YAxis tick={{ fontSize: 13 }} tickFormatter={(hours: number) => `${hoursTick.format(hours)} h`} width={72} />
          <Tooltip
            cursor={{ fill: 'rgb(31 85 192 / 6%)' }}
            content={({ active, payload }) => (
              <WaterfallTooltip active={active} bar={payload[0]?.payload as TChartBar | undefined} />
            )}
          />
          <Bar dataKey="hours" name="Hours" isAnimationActive={false}>
            {bars.map((bar) => (
              <Cell key={bar.key} fill={bar.key === 'fully-productive' ? RESULT_COLOR : BAR_COLORS[bar.kind]} />
            ))}
            <LabelList dataKey="caption" position="top" fontSize={12} fill="#17202b" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
}
