// @takt/db: the Prisma client, migrations and the embedded PostgreSQL of Takt.
export { createPrismaClient, type PrismaClient } from './client.ts';
export {
  applyMigrations,
  createMigration,
  diffSchemas,
  readSchemaSnapshot,
  type MigrationPaths,
} from './migrations.ts';
export {
  EmbeddedPostgresError,
  startEmbeddedPostgres,
  startScratchPostgres,
  type EmbeddedPostgres,
} from './embedded-postgres.ts';
export { EMBEDDED_DATABASE_NAME, resolveDatabase, type ResolvedDatabase } from './resolve-database.ts';
export * from './generated/prisma/enums.ts';
export { Prisma } from './generated/prisma/client.ts';
export {
  appendLiveEvents,
  listenForLiveEvents,
  LIVE_EVENT_CHANNEL,
  type AppendedLiveEvents,
  type LiveEventListener,
} from './live-events.ts';
