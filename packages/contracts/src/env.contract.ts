// Building blocks for each app's env.ts: zod schemas for the common variables and one loader that
// turns every bad variable into one readable line (no stack trace for a configuration mistake).
import { z } from 'zod';
import { formatZodIssues } from './format-zod-issues.ts';

export const ZPort = z.coerce.number().int().min(0).max(65535);

function urlWithProtocols(protocols: readonly string[], example: string) {
  return z
    .string()
    .trim()
    .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), {
      message: `must be a URL like ${example}`,
    });
}

export const ZPostgresUrl = urlWithProtocols(['postgres:', 'postgresql:'], 'postgresql://user:password@host:5432/takt');
export const ZMqttUrl = urlWithProtocols(['mqtt:', 'mqtts:', 'tcp:', 'ssl:', 'ws:', 'wss:'], 'mqtt://host:1883');
export const ZLogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/** Thrown by `loadEnv`; `message` is one line naming every bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type EnvSource = Record<string, string | undefined>;

/**
 * Parses the variables `schema` declares. Empty strings count as unset, so `FOO=` falls back to the
 * default. Throws a ConfigError naming each bad variable and what was wrong with it.
 */
export function loadEnv<S extends z.ZodObject>(schema: S, source: EnvSource): z.infer<S> {
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const detail = formatZodIssues(parsed.error, {
    label: (name) => (present[name] === undefined ? name : `${name}=${JSON.stringify(present[name])}`),
  });
  throw new ConfigError(`invalid configuration: ${detail}`);
}
