// The line board: one card per line with the order it runs now (progress, run rate, projected finish in the
// plant's time, due flag) and the released orders waiting for it, so that a supervisor sees at a glance which
// line is free and which will be late. A card's order opens its drawer.
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { DueFlag, ProductCode, ProgressBar } from './work-order-badges.tsx';
import type { TLineCard } from './work-order-lines.ts';
import { productTextOf, type TOrderLookup } from './work-order-lookup.ts';

const QUEUE_SHOWN = 3;

function LineCard({
  card,
  lookup,
  nowMs,
  onOpen,
}: {
  card: TLineCard;
  lookup: TOrderLookup;
  nowMs: number;
  onOpen: (id: string) => void;
}) {
  const { t, format } = useI18n();
  const { current, queue } = card;
  const statusClass = current === null ? 'is-free' : current.status === 'PAUSED' ? 'is-paused' : 'is-running';
  return (
    <li className={`wo-line-card ${statusClass}`} aria-label={t('wo.lineCard', { name: card.name })}>
      <header className="wo-line-card-head">
        <div className="wo-line-title">
          <h3 translate="no">{card.name}</h3>
          <span className="wo-line-state">
            {current === null ? t('wo.lineFree') : t(`wo.status.${current.status}`)}
          </span>
        </div>
        <p className="wo-cell-sub" title={`${card.siteName} · ${card.areaName}`} translate="no">
          {card.siteName} · {card.areaName}
        </p>
      </header>
      {current === null ? (
        <p className="panel-muted wo-line-idle">{t('wo.noOrderRunning')}</p>
      ) : (
        <div className="wo-line-current">
          <p className="wo-line-order">
            <button type="button" className="wo-number-button" onClick={() => onOpen(current.id)}>
              {current.number}
            </button>
            <span className="cell-note" title={productTextOf(current.productId, lookup).name}>
              <ProductCode code={productTextOf(current.productId, lookup).code} />
            </span>
          </p>
          <ProgressBar order={current} />
          <p className="wo-line-figures">
            <span>{format.runRate(current.production.runRatePartsPerHour)}</span>
            <span>
              {current.status === 'PAUSED'
                ? t('wo.paused')
                : current.production.projectedFinishAt === null
                  ? t('wo.finishUnknown')
                  : t('wo.finishAt', {
                      time: format.plantDateTimeShort(current.production.projectedFinishAt, card.timeZone, nowMs),
                    })}
            </span>
            <DueFlag order={current} nowMs={nowMs} />
          </p>
        </div>
      )}
      <p className="wo-line-queue">
        {queue.length === 0 ? (
          <span className="cell-note">{t('wo.nothingNext')}</span>
        ) : (
          <>
            <span className="cell-note">{t('wo.next')} </span>
            {queue.slice(0, QUEUE_SHOWN).map((order, index) => (
              <span key={order.id}>
                {index > 0 ? ', ' : ''}
                <button type="button" className="wo-link-button" onClick={() => onOpen(order.id)}>
                  {order.number}
                </button>
              </span>
            ))}
            {queue.length > QUEUE_SHOWN ? (
              <span className="cell-note"> {t('wo.more', { count: queue.length - QUEUE_SHOWN })}</span>
            ) : null}
          </>
        )}
      </p>
    </li>
  );
}

export function LineBoard({
  cards,
  lookup,
  nowMs,
  onOpen,
}: {
  cards: readonly TLineCard[];
  lookup: TOrderLookup;
  nowMs: number;
  onOpen: (id: string) => void;
}) {
  const { t } = useI18n();
  if (cards.length === 0) return <p className="panel-muted">{t('common.noLines')}</p>;
  return (
    <ul className="wo-line-board">
      {cards.map((card) => (
        <LineCard key={card.id} card={card} lookup={lookup} nowMs={nowMs} onOpen={onOpen} />
      ))}
    </ul>
  );
}
