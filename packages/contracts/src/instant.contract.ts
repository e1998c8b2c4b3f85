// Instants a client sends (filters, cursors, bodies): ISO 8601, and only those PostgreSQL's timestamptz stores as the
// API writes them, i.e. with a four-digit year: 0001-01-01 to 9999-12-31 UTC. Year 0000 or 10000 would reach the
// database and fail there; here they are a field error.
import { z } from 'zod';

const STORABLE_FROM_MS = Date.parse('0001-01-01T00:00:00.000Z');
const STORABLE_TO_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** Whether `ms` lies in the years 0001–9999 UTC. */
export function isStorableMs(ms: number): boolean {
  return ms >= STORABLE_FROM_MS && ms <= STORABLE_TO_MS;
}

/** `schema` (an ISO 8601 date-time) restricted to the years 0001–9999 UTC; a malformed one is its format's error. */
export function storableInstant<T extends z.ZodType<string, string>>(schema: T): T {
  return schema.refine((iso) => {
    const ms = Date.parse(iso);
    return Number.isNaN(ms) || isStorableMs(ms);
  }, 'Use an instant in the years 0001–9999 (UTC).');
}

export const ZInstant = storableInstant(z.iso.datetime({ offset: true })).meta({
  description: 'An instant, ISO 8601 with a time zone offset, e.g. `2025-03-03T06:00:00+01:00` or `…Z`.',
});
