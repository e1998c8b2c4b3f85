// For one-shot tools (migrate, seed): the configured server, or the embedded database started for
// the duration of the tool.
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { loadDatabaseEnv } from './env.ts';

/** The database of the embedded server that Takt uses (the server's `postgres` database stays for maintenance). */
export const EMBEDDED_DATABASE_NAME = 'takt';

export type ResolvedDatabase = { url: string; mode: 'embedded' | 'external'; close(): Promise<void> };

/** DATABASE_URL when set; otherwise the embedded PostgreSQL of TAKT_DATA_DIR on an OS-chosen port. */
export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const env = loadDatabaseEnv();
  if (env.DATABASE_URL !== undefined) {
    return { url: env.DATABASE_URL, mode: 'external', close: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: env.TAKT_DATA_DIR, port: 0 });
  return { url: embedded.urlFor(EMBEDDED_DATABASE_NAME), mode: 'embedded', close: () => embedded.stop() };
}
