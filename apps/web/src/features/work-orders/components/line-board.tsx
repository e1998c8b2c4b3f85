// The line board: one card per line with the order it runs now (progress, run rate, projected finish in the
// plant's time, due flag) and the released orders waiting for it, so that a supervisor sees at a glance which
// line is free and which will be late. A card's order opens its drawer.
import { DueFlag, ProgressBar } from './work-order-badges.tsx';
import { formatPlantDateTimeShort, formatRunRate } from './work-order-format.ts';
import { STATUS_LABELS } from './work-order-steps.ts';
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
  const { current, queue } = card;
  const statusClass = current === null ? 'is-free' : current.status === 'PAUSED' ? 'is-paused' : 'is-running';
  return (
    <li className={`wo-line-card ${statusClass}`} aria-label={`Line ${card.name}`}>
      <header className="wo-line-card-head">
        <div className="wo-line-title">
          <h3>{card.name}</h3>
          <span className="wo-line-state">{current === null ? 'Free' : STATUS_LABELS[current.status]}</span>
        </div>
        <p className="wo-cell-sub" title={`${card.siteName} · ${card.areaName}`}>
          {card.siteName} · {card.areaName}
        </p>
      </header>
      {current === null ? (
        <p className="panel-muted wo-line-idle">No order running</p>
      ) : (
        <div className="wo-line-current">
          <p className="wo-line-order">
            <button type="button" className="wo-number-button" onClick={() => onOpen(current.id)}>
              {current.number}
            </button>
            <span className="cell-note" title={productTextOf(current.productId, lookup).name}>
              {productTextOf(current.productId, lookup).code}
            </span>
          </p>
          <ProgressBar order={current} />
          <p className="wo-line-figures">
            <span>{formatRunRate(current.production.runRatePartsPerHour)}</span>
            <span>
              {current.status === 'PAUSED'
                ? 'paused'
                : current.production.projectedFinishAt === null
                  ? 'finish not yet known'
                  : `finish ${formatPlantDateTimeShort(current.production.projectedFinishAt, card.timeZone, nowMs)}`}
            </span>
            <DueFlag order={current} nowMs={nowMs} />
          </p>
        </div>
      )}
      <p className="wo-line-queue">
        {queue.length === 0 ? (
          <span className="cell-note">Nothing dispatched next</span>
        ) : (
          <>
            <span className="cell-note">Next: </span>
            {queue.slice(0, QUEUE_SHOWN).map((order, index) => (
              <span key={order.id}>
                {index > 0 ? ', ' : ''}
                <button type="button" className="wo-link-button" onClick={() => onOpen(order.id)}>
                  {order.number}
                </button>
              </span>
            ))}
            {queue.length > QUEUE_SHOWN ? <span className="cell-note"> +{queue.length - QUEUE_SHOWN} more</span> : null}
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
  if (cards.length === 0) {
    return (
      <p className="panel-muted">No lines are configured yet. An administrator adds them under Plant configuration.</p>
    );
  }
  return (
    <ul className="wo-line-board">
      {cards.map((card) => (
        <LineCard key={card.id} card={card} lookup={lookup} nowMs={nowMs} onOpen={onOpen} />
      ))}
    </ul>
  );
}
