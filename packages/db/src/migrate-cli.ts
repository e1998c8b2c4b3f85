// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
import { applyMigrations } from './migrations.ts';
import { resolveDatabase } from './resolve-database.ts';

const database = await resolveDatabase();
try {
  const { appliedMigrationNames } = await applyMigrations(database.url);
  console.log(
    appliedMigrationNames.length === 0
      ? 'Database is up to date: no pending migration.'
      : `Applied ${appliedMigrationNames.length} migration(s):\n  ${appliedMigrationNames.join('\n  ')}`,
  );
} finally {
  await database.close();
}
