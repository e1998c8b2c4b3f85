// Reliability and data quality next to the OEE: MTBF and MTTR of DOWN events (GET /kpi/mtbf-mttr), and how much
// of the picture is uncertain: stops nobody has given a reason yet, planned time without data from the machine.
import type { TKpiMtbfMttrResponse, TKpisContract } from '@takt/contracts';
import { Link } from 'react-router';
import { appPages } from '../../../config/paths.ts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';

export function OeeReliabilityPanel({
  reliability,
  isReliabilityError,
  kpis,
}: {
  reliability: TKpiMtbfMttrResponse | undefined;
  isReliabilityError: boolean;
  kpis: TKpisContract;
}) {
  const { t, format } = useI18n();
  const totals = reliability?.totals;
  const loading = isReliabilityError ? t('common.unavailable') : '…';
  const unclassifiedShare = kpis.unclassifiedDownTimeShare;
  return (
    <>
      <dl className="oee-figures" aria-label={t('oee.reliability')}>
        <div>
          <dt>{t('oee.mtbf')}</dt>
          <dd data-testid="mtbf">{totals === undefined ? loading : format.optionalDuration(totals.mtbfSec)}</dd>
        </div>
        <div>
          <dt>{t('oee.mttr')}</dt>
          <dd data-testid="mttr">{totals === undefined ? loading : format.optionalDuration(totals.mttrSec)}</dd>
        </div>
        <div>
          <dt>{t('oee.breakdowns')}</dt>
          <dd>{totals === undefined ? loading : format.count(totals.downEventCount)}</dd>
        </div>
        <div>
          <dt>{t('oee.downTime')}</dt>
          <dd>{totals === undefined ? loading : format.timeAmount(totals.downTimeSec)}</dd>
        </div>
      </dl>
      <dl className="oee-figures oee-figures-quality" aria-label={t('oee.dataQuality')}>
        <div className={unclassifiedShare !== null && unclassifiedShare > 0.2 ? 'is-warning' : undefined}>
          <dt>{t('oee.unclassifiedStops')}</dt>
          <dd data-testid="unclassified-share">{format.percent(unclassifiedShare)}</dd>
          <dd className="oee-figure-note">
            {t('oee.unclassifiedNote')}{' '}
            {unclassifiedShare !== null && unclassifiedShare > 0 ? (
              <Link to={appPages.downtime.path}>{t('oee.classifyStops')}</Link>
            ) : null}
          </dd>
        </div>
        <div className={kpis.dataGapShare !== null && kpis.dataGapShare > 0.05 ? 'is-warning' : undefined}>
          <dt>{t('oee.noData')}</dt>
          <dd>{format.percent(kpis.dataGapShare)}</dd>
          <dd className="oee-figure-note">{t('oee.noDataNote')}</dd>
        </div>
      </dl>
    </>
  );
}
