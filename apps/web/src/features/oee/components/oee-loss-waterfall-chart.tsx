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
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { waterfallBarsOf, type TWaterfallBar } from './oee-format.ts';

const BAR_COLORS: Record<TWaterfallBar['kind'], string> = { time: '#1f55c0', loss: '#c22a2a', gain: '#a35f00' };
const RESULT_COLOR = '#17803a';

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

type TChartBar = TWaterfallBar & { label: string; axisLabel: string; hours: [number, number]; caption: string };

function WaterfallTooltip({ active, bar }: { active: boolean; bar: TChartBar | undefined }) {
  const { t, format } = useI18n();
  if (!active || bar === undefined) return null;
  const amount = format.timeAmount(Math.abs(bar.durationSec));
  return (
    <div className="chart-tooltip">
      <strong>{bar.label}</strong>
      <div>
        {bar.kind === 'gain' ? t('oee.waterfallGained', { duration: amount }) : amount}
        {bar.shareOfPlannedTime === null
          ? ''
          : ` · ${t('oee.waterfallShare', { share: format.percent(Math.abs(bar.shareOfPlannedTime)) })}`}
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
  const { t, format } = useI18n();
  const bars: TChartBar[] = waterfallBarsOf(waterfall).map((bar) => ({
    ...bar,
    label: t(`oee.waterfall.${bar.key}`),
    axisLabel: t(`oee.waterfallAxis.${bar.key}`),
    hours: [bar.fromSec / 3600, bar.toSec / 3600],
    // The axis carries the unit; a bare number fits above a narrow bar.
    caption: `${{ time: '', loss: '−', gain: '+' }[bar.kind]}${format.hours(Math.abs(bar.durationSec)).replace(/ h$/, '')}`,
  }));
  if (waterfall.seconds.plannedProductionTime <= 0) {
    return <p className="panel-muted">{t('oee.waterfallEmpty')}</p>;
  }
  const loss = waterfall.availabilityLossSec;
  return (
    <figure className="oee-chart" aria-label={t('oee.waterfallAria')}>
      <figcaption className="oee-chart-caption">
        {machineCount !== null && machineCount > 1
          ? t('oee.waterfallHoursSummed', { count: machineCount })
          : t('oee.waterfallHours')}{' '}
        {t('oee.waterfallAvailabilityLoss', {
          down: format.timeAmount(loss.downSec),
          idle: format.timeAmount(loss.idleSec),
          setup: format.timeAmount(loss.setupSec),
          offline: format.timeAmount(loss.offlineSec),
        })}
      </figcaption>
      <ResponsiveContainer width="100%" height={300}>
        <BarChart data={bars} margin={{ top: 24, right: 8, bottom: 8, left: 8 }} barCategoryGap="18%">
          <CartesianGrid stroke="#d3d9e1" vertical={false} />
          <XAxis dataKey="axisLabel" interval={0} tick={WrappedTick} height={40} />
          <YAxis tick={{ fontSize: 13 }} tickFormatter={(hours: number) => format.hours(hours * 3600)} width={72} />
          <Tooltip
            cursor={{ fill: 'rgb(31 85 192 / 6%)' }}
            content={({ active, payload }) => (
              <WaterfallTooltip active={active} bar={payload[0]?.payload as TChartBar | undefined} />
            )}
          />
          <Bar dataKey="hours" name={t('oee.hours')} isAnimationActive={false}>
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
