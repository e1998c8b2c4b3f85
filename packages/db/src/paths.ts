// Where the Prisma schema and migrations live, resolved from this file so any working directory works.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const PRISMA_DIR = path.join(REPO_ROOT, 'prisma');
export const SCHEMA_PATH = path.join(PRISMA_DIR, 'schema.prisma');
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, 'migrations');
/** The schema the newest migration was made from; the next migration is the diff from it. */
export const SCHEMA_SNAPSHOT_PATH = path.join(MIGRATIONS_DIR, 'schema.snapshot.prisma');
/** Folders of the hand-written SQL functions, one `<function_name>.sql` each (packages/kpi-sql/README.md). */
export const SQL_FUNCTION_DIRS = [
  path.join(REPO_ROOT, 'packages/db/sql'),
  path.join(REPO_ROOT, 'packages/kpi-sql/sql'),
];
