// The PostgreSQL server and MQTT broker that integration tests (*.int.test.ts) and the Playwright
// server use: this machine's by default, or the embedded ones that `npm test` starts when these do not
// answer (scripts/with-test-servers.ts).
import { z } from 'zod';
import { loadEnv, ZMqttUrl, ZPostgresUrl } from '@takt/contracts';

export const DEFAULT_TEST_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
export const DEFAULT_TEST_MQTT_URL = 'mqtt://127.0.0.1:1883';

export const ZTestServersEnv = z.object({
  /** A superuser connection to the server's maintenance database; tests create their own databases. */
  TEST_DATABASE_URL: ZPostgresUrl.default(DEFAULT_TEST_DATABASE_URL),
  TEST_MQTT_URL: ZMqttUrl.default(DEFAULT_TEST_MQTT_URL),
});
export type TTestServersEnv = z.infer<typeof ZTestServersEnv>;

/** The test servers' URLs from the environment, with this machine's servers as defaults. */
export function loadTestServersEnv(source: Record<string, string | undefined> = process.env): TTestServersEnv {
  return loadEnv(ZTestServersEnv, source);
}
