import { ConfigError } from '@takt/contracts';
import { describe, expect, it } from 'vitest';
import { loadBridgeEnv } from './env.ts';

const REQUIRED = { DATABASE_URL: 'postgresql://takt@127.0.0.1:5432/takt', MQTT_URL: 'mqtt://127.0.0.1:1883' };

describe('loadBridgeEnv: SPARKPLUG_HOST_ID', () => {
  it('defaults to takt', () => {
    expect(loadBridgeEnv(REQUIRED).SPARKPLUG_HOST_ID).toBe('takt');
  });

  it('takes a host id, trimmed', () => {
    expect(loadBridgeEnv({ ...REQUIRED, SPARKPLUG_HOST_ID: ' scada-primary ' }).SPARKPLUG_HOST_ID).toBe(
      'scada-primary',
    );
  });

  // The last level of spBv1.0/STATE/{host_id}: no level separator, no wildcard (tck-id-topic-structure).
  it.each(['plant/1', 'host#', 'host+1'])('refuses %s', (hostId) => {
    expect(() => loadBridgeEnv({ ...REQUIRED, SPARKPLUG_HOST_ID: hostId })).toThrow(ConfigError);
  });
});
