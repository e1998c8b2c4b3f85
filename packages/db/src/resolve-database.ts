// For one-shot tools (migrate, seed): the configured server, or the embedded database started for
// the duration of the tool.
import path from 'node:path';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { loadDatabaseEnv } from './env.ts';

export type ResolvedDatabase = { url: string; mode: 'embedded' | 'external'; close(): Promise<void> };

/** DATABASE_URL when set; otherwise the embedded PGlite under TAKT_DATA_DIR on an OS-chosen port. */
export async function resolveDatabase(): Promise<ResolvedDatabase> {
  const env = loadDatabaseEnv();
  if (env.DATABASE_URL !== undefined) {
    return { url: env.DATABASE_URL, mode: 'external', close: async () => {} };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: path.join(env.TAKT_DATA_DIR, 'pg'), port: 0 });
  return { url: embedded.url, mode: 'embedded', close: () => embedded.stop() };
}
