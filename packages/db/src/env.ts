// Configuration of the database CLIs (migrate, seed): the only place in @takt/db that reads process.env.
import path from 'node:path';
import { z } from 'zod';
import { loadEnv, ZPort, ZPostgresUrl } from '@takt/contracts';
import { REPO_ROOT } from './paths.ts';

export const ZDatabaseEnv = z.object({
  DATABASE_URL: ZPostgresUrl.optional(),
  TAKT_DATA_DIR: z.string().default(path.join(REPO_ROOT, 'data')),
  EMBEDDED_DB_PORT: ZPort.default(54329),
});
export type TDatabaseEnv = z.infer<typeof ZDatabaseEnv>;

export function loadDatabaseEnv(source: Record<string, string | undefined> = process.env): TDatabaseEnv {
  return loadEnv(ZDatabaseEnv, source);
}
