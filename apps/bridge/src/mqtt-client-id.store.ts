// The bridge's MQTT client id. The broker keys the persistent session by it (MQTT 3.1.1 §3.1.3.1), so it must be
// the same after a restart (the broker then redelivers what was not acknowledged) and unique; and it must not be
// guessable, because a client that connects with the same id takes the session over and disconnects the bridge
// (§3.1.4). Configured (BRIDGE_MQTT_CLIENT_ID), or `takt-bridge-<random>` made once and kept in the data
// directory, so that every restart of this installation resumes its session and nobody can derive the id.
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The file in TAKT_DATA_DIR that keeps the generated client id. */
export const CLIENT_ID_FILE = 'bridge-mqtt-client-id';

const CLIENT_ID_PATTERN = /^takt-bridge-[0-9a-f]{24}$/;

/** The configured client id, else the one kept in `dataDir` (made and kept there the first time). */
export async function resolveBridgeClientId(options: { configured?: string; dataDir: string }): Promise<string> {
  if (options.configured !== undefined) return options.configured;
  const file = path.join(options.dataDir, CLIENT_ID_FILE);
  try {
    const kept = (await readFile(file, 'utf8')).trim();
    if (CLIENT_ID_PATTERN.test(kept)) return kept;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // 96 random bits: not guessable, and short enough for brokers that limit client ids.
  const clientId = `takt-bridge-${randomBytes(12).toString('hex')}`;
  await mkdir(options.dataDir, { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${clientId}\n`, { mode: 0o600 });
  await rename(temporary, file);
  return clientId;
}
