// `npm run bench -- faults`: every fault scenario of apps/bridge/src/faults/fault-scenarios.ts in turn (kill -9 of
// PostgreSQL, Mosquitto, the bridge, the API; a burst; a backlog; a cut database link; a full spool), each under
// a known QoS 1 stream with per-message accounting. Writes bench/results/faults.json: `faultEventsLost` (events
// acknowledged to their publisher and never stored, over every scenario: must be 0), the seconds each fault took to
// recover from, and per scenario its account. Other benchmarks add their own keys to that file: the keys written
// here are replaced, the others kept.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULTS, openFaultRig, type FaultName, type FaultReport } from '../apps/bridge/src/faults/fault-scenarios.ts';
import { isMosquittoInstalled } from '../apps/bridge/src/testing/mosquitto-broker.fixture.ts';

const RESULT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'results/faults.json');

export type FaultsBenchResult = {
  /** Acknowledged to the publisher (broker or HTTP), never stored, over every scenario (the broker's own loss apart). */
  faultEventsLost: number;
  /** Lost by a killed Mosquitto: received since its last autosave and not yet delivered (its settings, not Takt). */
  faultBrokerEventsLost: number;
  /** Events stored twice (parts beyond what the stored messages carry), over every scenario. */
  faultEventsDuplicated: number;
  /** From the restart (or restore) until every message acknowledged before it is stored; null: never. */
  faultRecoverySec: Record<FaultName, number | null>;
  faults: Record<FaultName, Omit<FaultReport, 'fault' | 'difference' | 'bridgeWarnings' | 'deadLetterReasons'>>;
};

async function readExisting(): Promise<Record<string, unknown>> {
  try {
    return JSON.parse(await readFile(RESULT, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function main(): Promise<void> {
  if (!isMosquittoInstalled())
    throw new Error('the faults benchmark needs /usr/sbin/mosquitto (apt-get install mosquitto)');
  const rig = await openFaultRig();
  const reports: FaultReport[] = [];
  try {
    for (const name of Object.keys(FAULTS) as FaultName[]) {
      console.log(`  ${name} …`);
      const report = await FAULTS[name](rig);
      reports.push(report);
      console.log(
        `    published ${report.published}, stored ${report.stored}, lost ${report.lost}` +
          `${report.lostByBroker > 0 ? ` (+${report.lostByBroker} by the broker)` : ''}` +
          `${report.http ? `, HTTP lost ${report.http.lostEvents} of ${report.http.ackedEvents}` : ''}` +
          `, duplicated ${report.extraParts}, clean-run tables ${report.isCleanRunResult}, recovered in ${report.recoverySec} s`,
      );
    }
  } finally {
    await rig.destroy();
  }
  const result: FaultsBenchResult = {
    faultEventsLost: reports.reduce((sum, report) => sum + report.lost + (report.http?.lostEvents ?? 0), 0),
    faultBrokerEventsLost: reports.reduce((sum, report) => sum + report.lostByBroker, 0),
    faultEventsDuplicated: reports.reduce((sum, report) => sum + report.extraParts + (report.http?.extraParts ?? 0), 0),
    faultRecoverySec: Object.fromEntries(reports.map((report) => [report.fault, report.recoverySec])) as Record<
      FaultName,
      number | null
    >,
    faults: Object.fromEntries(
      reports.map(
        ({ fault, difference: _difference, bridgeWarnings: _warnings, deadLetterReasons: _dead, ...rest }) => [
          fault,
          rest,
        ],
      ),
    ) as FaultsBenchResult['faults'],
  };
  await writeFile(RESULT, `${JSON.stringify({ ...(await readExisting()), ...result }, null, 2)}\n`);
  console.log(`faultEventsLost ${result.faultEventsLost}; written to ${path.relative(process.cwd(), RESULT)}`);
}
