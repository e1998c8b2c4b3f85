import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLIENT_ID_FILE, resolveBridgeClientId } from './mqtt-client-id.store.ts';

describe('the bridge MQTT client id', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'takt-client-id-'));
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is random on the first start, kept in the data directory and the same on every restart', async () => {
    const first = await resolveBridgeClientId({ dataDir });
    expect(first).toMatch(/^takt-bridge-[0-9a-f]{24}$/);
    expect((await readFile(path.join(dataDir, CLIENT_ID_FILE), 'utf8')).trim()).toBe(first);
    expect((await stat(path.join(dataDir, CLIENT_ID_FILE))).mode & 0o077).toBe(0);
    expect(await resolveBridgeClientId({ dataDir })).toBe(first);
  });

  it('differs between installations (not derivable from host or prefix)', async () => {
    const other = await mkdtemp(path.join(tmpdir(), 'takt-client-id-'));
    try {
      expect(await resolveBridgeClientId({ dataDir })).not.toBe(await resolveBridgeClientId({ dataDir: other }));
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('is the configured one when BRIDGE_MQTT_CLIENT_ID is set, and then writes nothing', async () => {
    expect(await resolveBridgeClientId({ configured: 'plant1-bridge-a', dataDir })).toBe('plant1-bridge-a');
    await expect(readFile(path.join(dataDir, CLIENT_ID_FILE), 'utf8')).rejects.toThrow();
  });

  it('makes a new one when the kept file is not an id it made (e.g. a torn write)', async () => {
    await writeFile(path.join(dataDir, CLIENT_ID_FILE), 'takt-bridge-');
    const clientId = await resolveBridgeClientId({ dataDir });
    expect(clientId).toMatch(/^takt-bridge-[0-9a-f]{24}$/);
    expect(await resolveBridgeClientId({ dataDir })).toBe(clientId);
  });
});
