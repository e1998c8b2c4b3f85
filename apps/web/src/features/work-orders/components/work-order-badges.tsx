// Small pieces every work-order view shares: the status chip, the progress bar against target and the due date
// with its late / at-risk flag. Each pairs colour with words, so they also read in greyscale.
import type { TWorkOrder, TWorkOrderStatus } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { dueFlagOf, dueStateOf, progressBarPercent } from './work-order-format.ts';

export function StatusChip({ status }: { status: TWorkOrderStatus }) {
  const { t } = useI18n();
  return (
    <span className={`state-chip wo-status wo-status-${status.toLowerCase().replace('_', '-')}`}>
      {t(`wo.status.${status}`)}
    </span>
  );
}

export function ProgressBar({ order, isLarge = false }: { order: TWorkOrder; isLarge?: boolean }) {
  const { t, format } = useI18n();
  const { goodCount, progress } = order.production;
  const isDone = progress >= 1;
  return (
    <div className={isLarge ? 'wo-progress is-large' : 'wo-progress'}>
      <span
        className={isDone ? 'wo-progress-track is-done' : 'wo-progress-track'}
        role="progressbar"
        aria-label={t('wo.progressOf', { number: order.number })}
        aria-valuemin={0}
        aria-valuemax={order.targetQuantity}
        aria-valuenow={Math.min(goodCount, order.targetQuantity)}
        aria-valuetext={t('wo.progressText', {
          good: format.count(goodCount),
          target: format.count(order.targetQuantity),
          progress: format.percent(progress),
        })}
      >
        <span style={{ width: `${progressBarPercent(progress)}%` }} />
      </span>
      <span className="wo-progress-text">
        <span>
          {format.count(goodCount)} / {format.count(order.targetQuantity)}
        </span>
        <strong>{format.percent(progress)}</strong>
      </span>
    </div>
  );
}

export function DueFlag({ order, nowMs }: { order: TWorkOrder; nowMs: number }) {
  const { t } = useI18n();
  const flag = dueFlagOf(dueStateOf(order, nowMs));
  if (flag === null) return null;
  return <span className={`pill pill-${flag.tone}`}>{t(flag.labelKey)}</span>;
}

export function DueCell({ order, nowMs, timeZone }: { order: TWorkOrder; nowMs: number; timeZone: string }) {
  const { t, format } = useI18n();
  if (order.dueAt === null) return <span className="cell-note">{t('wo.noDueDate')}</span>;
  return (
    <span className="wo-due">
      <span className="wo-nowrap">{format.plantDateTimeShort(order.dueAt, timeZone, nowMs)}</span>
      <DueFlag order={order} nowMs={nowMs} />
    </span>
  );
}

/** A product's code (as the plant wrote it), or the words for one the catalogue does not know. */
export function ProductCode({ code }: { code: string | null }) {
  const { t } = useI18n();
  return code === null ? t('wo.unknownProduct') : <span translate="no">{code}</span>;
}
