// Runs `prisma generate` without the native schema engine: generate never starts the engine, but
// the CLI looks for its binary unless PRISMA_SCHEMA_ENGINE_BINARY names an existing file
// (docs/data-model.md "Migrations"). Plain .mjs so that it runs before anything else is built.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'packages/db/package.json'));
const prismaCli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build/index.js');

const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
if (result.status !== 0) {
  console.error('prisma generate failed');
  process.exit(result.status ?? 1);
}
