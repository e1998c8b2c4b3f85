// `npm run db:migration -- <name>`: writes the next migration from the changes in prisma/schema.prisma and in the
// SQL function files (packages/kpi-sql/sql, packages/db/sql).
import path from 'node:path';
import { createMigration } from './migrations.ts';
import { REPO_ROOT } from './paths.ts';

const name = process.argv[2];
if (name === undefined) {
  console.error('Usage: npm run db:migration -- <snake_case_name>');
  process.exit(2);
}
const result = await createMigration(name).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(2);
});
console.log(
  result.created
    ? `Created ${path.relative(REPO_ROOT, result.directory)}/migration.sql`
    : 'Neither prisma/schema.prisma nor a SQL function file has a change that a migration lacks: nothing written.',
);
