// List cursors (README "HTTP API": `limit` + `cursor`). A cursor is the sort key of the last item of a page — a
// tuple of strict values (a UUID, an int8 id, an instant, a text key) — sent as base64url JSON. One codec serves
// every list: the `cursor` query parameter decodes with the list's tuple, so a cursor the list never gave out (36
// dashes as a UUID, an id beyond int8, a year PostgreSQL cannot store, garbage) is a 400 field error and never
// reaches the database.
import { z } from 'zod';
import { isStorableMs } from './instant.contract.ts';

const INT8_MAX = 9_223_372_036_854_775_807n;

/** A UUID as PostgreSQL's uuid type takes it (RFC 9562 layout, not any 36 characters). */
export const ZCursorUuid = z.uuid().meta({ examples: ['0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b'] });

/** A bigint row id (PostgreSQL int8: 1 to 2^63 − 1), written as a decimal string. */
export const ZCursorBigintId = z
  .codec(z.string().regex(/^[1-9][0-9]{0,18}$/), z.bigint().min(1n).max(INT8_MAX), {
    decode: (text) => BigInt(text),
    encode: (id) => id.toString(),
  })
  .meta({ examples: ['42'] });

/** An instant PostgreSQL stores (years 0001–9999 UTC), written as ISO 8601 UTC. */
export const ZCursorInstant = z
  .codec(
    z.iso.datetime(),
    z.date().refine((date) => isStorableMs(date.getTime())),
    { decode: (iso) => new Date(iso), encode: (date) => date.toISOString() },
  )
  .meta({ examples: ['2026-01-05T06:00:00.000Z'] });

/** A text sort key (a code, a username), without control characters (PostgreSQL text refuses NUL). */
export const ZCursorText = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[^\p{Cc}]+$/u)
  .meta({ examples: ['line2'] });

const NOT_A_CURSOR = 'Not a cursor of this list: pass the nextCursor of the previous page unchanged.';

// Browser-safe base64url of UTF-8 (the web app imports the contracts too).
function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  return btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
}

function fromBase64Url(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor) || cursor.length % 4 === 1) return undefined;
  const binary = atob(cursor.replaceAll('-', '+').replaceAll('_', '/'));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Every codec's parameter schema, with its tuple, so that a test can tell a list that decodes its cursor here from
// one that takes any string.
const tupleOfParam = new WeakMap<z.ZodType, z.ZodTuple>();

function cursorParam<T extends z.ZodTuple>(tuple: T) {
  return z
    .string()
    .min(1)
    .max(500)
    .transform((cursor, ctx): z.output<T> => {
      const json = fromBase64Url(cursor);
      const decoded = json === undefined ? undefined : tuple.safeParse(parseJson(json));
      if (decoded?.success !== true) {
        ctx.addIssue({ code: 'custom', message: NOT_A_CURSOR });
        return z.NEVER;
      }
      return decoded.data;
    })
    .optional()
    .meta({ description: 'nextCursor of the previous page.' });
}

export type CursorCodec<T extends z.ZodTuple> = {
  /** The sort key's elements. */
  readonly tuple: T;
  /** The optional `cursor` query parameter: decodes to the sort key, or fails with one field error. */
  readonly param: ReturnType<typeof cursorParam<T>>;
  /** The cursor that continues after `position` (the sort key of a page's last item). */
  encode(position: z.output<T>): string;
};

/** The codec of a list whose sort key is `tuple`. */
export function cursorCodec<T extends z.ZodTuple>(tuple: T): CursorCodec<T> {
  const param = cursorParam(tuple);
  tupleOfParam.set(param, tuple);
  return {
    tuple,
    param,
    encode: (position) => toBase64Url(JSON.stringify(z.encode(tuple, position))),
  };
}

/** The sort-key tuple behind a `cursor` query parameter made by `cursorCodec`, else undefined. */
export function cursorTupleOf(param: unknown): z.ZodTuple | undefined {
  return param instanceof z.ZodType ? tupleOfParam.get(param) : undefined;
}
