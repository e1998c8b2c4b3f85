// Small pieces every work-order view shares: the status chip, the progress bar against target and the due date
// with its late / at-risk flag. Each pairs colour with words, so they also read in greyscale.
import type { TWorkOrder, TWorkOrderStatus } from '@takt/contracts';
import {
  dueFlagOf,
  dueStateOf,
  formatCount,
  formatPlantDateTimeShort,
  formatProgress,
  progressBarPercent,
} from './work-order-format.ts';
import { STATUS_LABELS } from './work-order-steps.ts';

export function StatusChip({ status }: { status: TWorkOrderStatus }) {
  return (
    <span className={`state-chip wo-status wo-status-${status.toLowerCase().replace('_', '-')}`}>
      {STATUS_LABELS[status]}
    </span>
  );
}

export function ProgressBar({ order, isLarge = false }: { order: TWorkOrder; isLarge?: boolean }) {
  const { goodCount, progress } = order.production;
  const isDone = progress >= 1;
  return (
    <div className={isLarge ? 'wo-progress is-large' : 'wo-progress'}>
      <span
        className={isDone ? 'wo-progress-track is-done' : 'wo-progress-track'}
        role="progressbar"
        aria-label={`Progress of ${order.number}`}
        aria-valuemin={0}
        aria-valuemax={order.targetQuantity}
        aria-valuenow={Math.min(goodCount, order.targetQuantity)}
        aria-valuetext={`${formatCount(goodCount)} of ${formatCount(order.targetQuantity)} good (${formatProgress(progress)})`}
      >
        <span style={{ width: `${progressBarPercent(progress)}%` }} />
      </span>
      <span className="wo-progress-text">
        <span>
          {formatCount(goodCount)} / {formatCount(order.targetQuantity)}
        </span>
        <strong>{formatProgress(progress)}</strong>
      </span>
    </div>
  );
}

export function DueFlag({ order, nowMs }: { order: TWorkOrder; nowMs: number }) {
  const flag = dueFlagOf(dueStateOf(order, nowMs));
  if (flag === null) return null;
  return <span className={`pill pill-${flag.tone}`}>{flag.label}</span>;
}

export function DueCell({ order, nowMs, timeZone }: { order: TWorkOrder; nowMs: number; timeZone: string }) {
  if (order.dueAt === null) return <span className="cell-note">No due date</span>;
  return (
    <span className="wo-due">
      <span className="wo-nowrap">{formatPlantDateTimeShort(order.dueAt, timeZone, nowMs)}</span>
      <DueFlag order={order} nowMs={nowMs} />
    </span>
  );
}
