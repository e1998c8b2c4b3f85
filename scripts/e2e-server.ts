// The server the Playwright tests run against: the real launcher (API + SPA + bridge + simulator)
// on a freshly created, seeded PostgreSQL database and an embedded broker on a free port.
import pg from 'pg';
import { runMain } from '@takt/runtime';
import { loadTestServersEnv } from '@takt/runtime/testing';
import { inheritedEnv, loadLauncherEnv } from './launcher/launcher.env.ts';
import { launch } from './launcher/launcher.ts';

const inherited = inheritedEnv();
const serverUrl = loadTestServersEnv(inherited).TEST_DATABASE_URL;
const port = inherited.E2E_PORT ?? '3100';
// One database per port, so that e2e servers started side by side (several checkouts) never drop each other's.
const databaseName = `takt_e2e_${port.replace(/\D/g, '')}`;

await runMain('e2e-server', async () => {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${databaseName} WITH (FORCE)`);
  await admin.end();
  const databaseUrl = new URL(serverUrl);
  databaseUrl.pathname = `/${databaseName}`;
  const overrides = {
    DATABASE_URL: databaseUrl.toString(),
    MQTT_URL: undefined,
    EMBEDDED_MQTT_PORT: '0',
    PORT: port,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  return launch({ env: loadLauncherEnv({ ...inherited, ...overrides }), childEnv: { ...inherited, ...overrides } });
});
