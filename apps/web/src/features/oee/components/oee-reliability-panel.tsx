// Reliability and data quality next to the OEE: MTBF and MTTR of DOWN events (GET /kpi/mtbf-mttr), and how much
// of the picture is uncertain: stops nobody has given a reason yet, planned time without data from the machine.
import type { TKpiMtbfMttrResponse, TKpisContract } from '@takt/contracts';
import { Link } from 'react-router';
import { appPages } from '../../../config/paths.ts';
import { formatCount, formatOptionalDuration, formatPercent, formatTimeAmount } from './oee-format.ts';

export function OeeReliabilityPanel({
  reliability,
  isReliabilityError,
  kpis,
}: {
  reliability: TKpiMtbfMttrResponse | undefined;
  isReliabilityError: boolean;
  kpis: TKpisContract;
}) {
  const totals = reliability?.totals;
  const loading = isReliabilityError ? 'unavailable' : '…';
  const unclassifiedShare = kpis.unclassifiedDownTimeShare;
  return (
    <>
      <dl className="oee-figures" aria-label="Reliability">
        <div>
          <dt>MTBF</dt>
          <dd data-testid="mtbf">{totals === undefined ? loading : formatOptionalDuration(totals.mtbfSec)}</dd>
        </div>
        <div>
          <dt>MTTR</dt>
          <dd data-testid="mttr">{totals === undefined ? loading : formatOptionalDuration(totals.mttrSec)}</dd>
        </div>
        <div>
          <dt>Breakdowns</dt>
          <dd>{totals === undefined ? loading : formatCount(totals.downEventCount)}</dd>
        </div>
        <div>
          <dt>Down time</dt>
          <dd>{totals === undefined ? loading : formatTimeAmount(totals.downTimeSec)}</dd>
        </div>
      </dl>
      <dl className="oee-figures oee-figures-quality" aria-label="Data quality">
        <div className={unclassifiedShare !== null && unclassifiedShare > 0.2 ? 'is-warning' : undefined}>
          <dt>Unclassified stops</dt>
          <dd data-testid="unclassified-share">{formatPercent(unclassifiedShare)}</dd>
          <dd className="oee-figure-note">
            of down and idle time has no reason.{' '}
            {unclassifiedShare !== null && unclassifiedShare > 0 ? (
              <Link to={appPages.downtime.path}>Classify stops</Link>
            ) : null}
          </dd>
        </div>
        <div className={kpis.dataGapShare !== null && kpis.dataGapShare > 0.05 ? 'is-warning' : undefined}>
          <dt>No data</dt>
          <dd>{formatPercent(kpis.dataGapShare)}</dd>
          <dd className="oee-figure-note">of planned time the machine sent nothing.</dd>
        </div>
      </dl>
    </>
  );
}
