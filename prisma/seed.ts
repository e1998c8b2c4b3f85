// `npm run db:seed`: migrates DATABASE_URL (or the embedded database under ./data) and seeds the demo plant.
// Safe to run again: it only adds what is missing (see prisma/seed/index.ts).
import { applyMigrations, createPrismaClient, resolveDatabase } from '@takt/db';
import { formatSeedSummary, seedDemoPlant } from './seed/index.ts';

const database = await resolveDatabase();
try {
  // Migrating first makes the seed work on an empty database, e.g. right after `rm -rf data`.
  await applyMigrations(database.url);
  const prisma = createPrismaClient(database.url);
  try {
    const summary = await seedDemoPlant({ prisma, log: (message) => console.log(message) });
    console.log(formatSeedSummary(summary));
  } finally {
    await prisma.$disconnect();
  }
} finally {
  await database.close();
}
