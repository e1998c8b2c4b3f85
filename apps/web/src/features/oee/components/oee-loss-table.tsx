// The losses between planned production time and fully productive time, largest first, each with its share of
// planned time: which loss to attack first.
import type { TKpiOeeResponse } from '@takt/contracts';
import { formatPercent, formatTimeAmount } from './oee-format.ts';

export function OeeLossTable({ losses }: { losses: TKpiOeeResponse['losses'] }) {
  const largestSec = Math.max(0, ...losses.map((loss) => loss.durationSec));
  return (
    <div className="oee-table-scroll">
      <table className="data-table oee-loss-table">
        <caption className="visually-hidden">Losses, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Loss</th>
            <th scope="col" className="is-numeric">
              Time
            </th>
            <th scope="col" className="is-numeric">
              Share
            </th>
          </tr>
        </thead>
        <tbody>
          {losses.map((loss) => (
            <tr key={loss.code}>
              <th scope="row">
                {loss.label}
                <span className="oee-loss-bar" aria-hidden="true">
                  <span
                    style={{ width: `${largestSec > 0 ? (Math.max(0, loss.durationSec) / largestSec) * 100 : 0}%` }}
                  />
                </span>
              </th>
              <td className="is-numeric">{formatTimeAmount(loss.durationSec)}</td>
              <td className="is-numeric">{formatPercent(loss.shareOfPlannedTime)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
