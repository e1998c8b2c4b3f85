// At least once from the broker to the database, under faults (apps/bridge/README.md "At least once"): each
// scenario of fault-scenarios.ts kills or cuts one part of a running system under load and accounts for every
// message. Needs the mosquitto binary (scripts/test.sh installs it). The scenarios that take longest (a burst, a
// backlog) run with `npm run test:faults` (TAKT_FAULTS=all) only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMosquittoInstalled } from '../testing/mosquitto-broker.fixture.ts';
import { FAULTS, openFaultRig, type FaultName, type FaultRig } from './fault-scenarios.ts';

const QUICK: FaultName[] = [
  'bridge-kill',
  'postgres-kill',
  'broker-kill',
  'api-kill',
  'database-link-cut',
  'spool-full',
];
const isAll = process.env.TAKT_FAULTS === 'all';

/** What the bridge must have logged (and dead-lettered) in a scenario: the fault did what it should. */
const EVIDENCE: Partial<Record<FaultName, { warnings: string[]; deadLetter?: RegExp }>> = {
  'postgres-kill': { warnings: ['database unavailable: spooling events to disk'] },
  'broker-kill': { warnings: ['connection lost'] },
  'database-link-cut': { warnings: ['database unavailable: spooling events to disk'] },
  'spool-full': {
    warnings: ['spool full: events refused', 'message not stored: reconnecting so that the broker redelivers it'],
    deadLetter: /^spool full: \d+ events between .* were refused/,
  },
};

describe.skipIf(!isMosquittoInstalled())('faults: every acknowledged event stored exactly once', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await openFaultRig();
  });
  afterAll(async () => {
    await rig?.destroy();
  });

  for (const name of Object.keys(FAULTS) as FaultName[]) {
    it.skipIf(!isAll && !QUICK.includes(name))(name, { timeout: 150_000 }, async () => {
      const report = await FAULTS[name](rig);
      expect(report.bridgeWarnings).toEqual(expect.arrayContaining(EVIDENCE[name]?.warnings ?? []));
      const deadLetter = EVIDENCE[name]?.deadLetter;
      expect(report.deadLetterReasons).toEqual(deadLetter ? [expect.stringMatching(deadLetter)] : []);
      expect(report.acked).toBe(report.published);
      expect(report.lost, JSON.stringify(report)).toBe(0);
      expect(report.extraParts, JSON.stringify(report)).toBe(0);
      expect(report.isCleanRunResult, report.difference ?? '').toBe(true);
      expect(report.isBacklogClear, 'backlog left').toBe(true);
      if (report.http) {
        expect(report.http).toMatchObject({ lostEvents: 0, extraParts: 0 });
        // The kill hit the HTTP gateway too: it had to send batches again.
        expect(report.http.retriedBatches).toBeGreaterThan(0);
        expect(report.http.ackedEvents).toBeGreaterThan(0);
      }
      // Only a killed broker may lose what it had not saved yet; everything else loses nothing.
      if (name !== 'broker-kill') expect(report.lostByBroker).toBe(0);
      expect(report.stored + report.lostByBroker).toBe(report.acked);
    });
  }
});
