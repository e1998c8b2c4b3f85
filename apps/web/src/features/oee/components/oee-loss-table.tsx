// The losses between planned production time and fully productive time, largest first, each with its share of
// planned time: which loss to attack first.
import type { TKpiOeeResponse } from '@takt/contracts';
import { useI18n } from '../../../lib/i18n/i18n.tsx';

export function OeeLossTable({ losses }: { losses: TKpiOeeResponse['losses'] }) {
  const { t, format } = useI18n();
  const largestSec = Math.max(0, ...losses.map((loss) => loss.durationSec));
  return (
    <div className="oee-table-scroll">
      <table className="data-table oee-loss-table">
        <caption className="visually-hidden">{t('oee.lossesTitle')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('oee.lossColumn')}</th>
            <th scope="col" className="is-numeric">
              {t('common.time')}
            </th>
            <th scope="col" className="is-numeric">
              {t('oee.shareColumn')}
            </th>
          </tr>
        </thead>
        <tbody>
          {losses.map((loss) => (
            <tr key={loss.code}>
              <th scope="row">
                {t(`oee.loss.${loss.code}`)}
                <span className="oee-loss-bar" aria-hidden="true">
                  <span
                    style={{ width: `${largestSec > 0 ? (Math.max(0, loss.durationSec) / largestSec) * 100 : 0}%` }}
                  />
                </span>
              </th>
              <td className="is-numeric">{format.timeAmount(loss.durationSec)}</td>
              <td className="is-numeric">{format.percent(loss.shareOfPlannedTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
