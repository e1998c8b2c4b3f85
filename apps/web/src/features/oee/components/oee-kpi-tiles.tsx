// The four big figures: OEE = availability × performance × quality. Each shows what it is made of; a figure that
// does not apply reads "n/a" with the reason, and a doubtful one (above 100 %) is flagged, never hidden.
import type { TKpiFigures } from '@takt/contracts';
import { Icon } from '../../../components/ui/icon.tsx';
import { useI18n } from '../../../lib/i18n/i18n.tsx';
import { kpiTilesOf, type TKpiTile } from './oee-format.ts';

function Tile({ tile, onExplain }: { tile: TKpiTile; onExplain: (() => void) | null }) {
  const { t } = useI18n();
  const isNotApplicable = tile.ratio === null;
  const barPercent = tile.ratio === null ? 0 : Math.max(0, Math.min(100, tile.ratio * 100));
  const className = ['oee-tile', `oee-tile-${tile.id}`, tile.warning === null ? '' : 'has-warning']
    .filter(Boolean)
    .join(' ');
  return (
    <li className={className} data-testid={`kpi-${tile.id}`}>
      <span className="oee-tile-label">{t(`kpi.${tile.id}`)}</span>
      <span
        className={isNotApplicable ? 'oee-tile-value is-not-applicable' : 'oee-tile-value'}
        data-testid={`kpi-${tile.id}-value`}
        title={isNotApplicable ? t('oee.tileNotApplicable') : undefined}
      >
        {tile.text}
      </span>
      <span className="oee-tile-bar" aria-hidden="true">
        <span style={{ width: `${barPercent}%` }} />
      </span>
      <span className="oee-tile-detail">{tile.detail}</span>
      {tile.warning === null ? null : (
        <span className="oee-tile-warning" role="note">
          <Icon name="alert" size={16} />
          {tile.warning}
        </span>
      )}
      {onExplain === null ? null : (
        <button className="oee-link-button" type="button" onClick={onExplain}>
          {t('oee.explain')}
        </button>
      )}
    </li>
  );
}

export function OeeKpiTiles({
  figures,
  onExplain,
}: {
  figures: TKpiFigures;
  /** Opens the explanation (machine scope, a week at most); null when it cannot be offered. */
  onExplain: (() => void) | null;
}) {
  const i18n = useI18n();
  const tiles = kpiTilesOf(figures, i18n);
  return (
    <ul className="oee-tiles" aria-label={i18n.t('oee.tiles')}>
      {tiles.map((tile, index) => (
        <Tile key={tile.id} tile={tile} onExplain={index === 0 ? onExplain : null} />
      ))}
    </ul>
  );
}
