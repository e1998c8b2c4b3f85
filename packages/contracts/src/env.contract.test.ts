import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadEnv, ZMqttUrl, ZPort, ZPostgresUrl } from './env.contract.ts';

const ZEnv = z.object({
  DATABASE_URL: ZPostgresUrl.optional(),
  MQTT_URL: ZMqttUrl.optional(),
  PORT: ZPort.default(3000),
});

describe('loadEnv', () => {
  it('applies defaults and treats empty strings as unset', () => {
    expect(loadEnv(ZEnv, { PORT: '', DATABASE_URL: 'postgresql://u:p@db:5432/takt' })).toEqual({
      PORT: 3000,
      DATABASE_URL: 'postgresql://u:p@db:5432/takt',
    });
  });

  it('names every bad variable, its value and the expected form, on one line', () => {
    let error: unknown;
    try {
      loadEnv(ZEnv, { DATABASE_URL: 'not-a-url', MQTT_URL: 'http://broker', PORT: '70000' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toContain('DATABASE_URL="not-a-url": must be a URL like postgresql://');
    expect(message).toContain('MQTT_URL="http://broker": must be a URL like mqtt://');
    expect(message).toContain('PORT="70000"');
  });

  it('keeps a value with a line break on the one line', () => {
    expect(() => loadEnv(ZEnv, { PORT: '80\n80' })).toThrow(/^invalid configuration: PORT="80\\n80": [^\n]+$/);
  });
});
