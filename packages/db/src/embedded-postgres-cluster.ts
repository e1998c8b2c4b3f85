// The files of the embedded PostgreSQL under TAKT_DATA_DIR, and their creation on first start:
//
//   <TAKT_DATA_DIR>/postgres/               mode 0700, owned by the OS user the server runs as
//   <TAKT_DATA_DIR>/postgres/.takt-password the generated password of the `postgres` role (0600)
//   <TAKT_DATA_DIR>/postgres/data/          the cluster (PGDATA), made by initdb
//
// The password sits beside PGDATA, not in it, because initdb wants an empty directory and reads the
// password from a file the server's OS user can open.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { postgresBinaries } from './postgres-binaries.ts';

/** The superuser role of the embedded server. */
export const EMBEDDED_ROLE = 'postgres';

/** The OS account the server runs as: PostgreSQL refuses to run as root. */
export type ServerAccount = { uid: number; gid: number; name: string } | undefined;

export type ClusterPaths = { rootDir: string; pgData: string; passwordFile: string };

/** Where the embedded server of TAKT_DATA_DIR `dataDir` keeps its files. */
export function clusterPaths(dataDir: string): ClusterPaths {
  const rootDir = path.join(dataDir, 'postgres');
  return { rootDir, pgData: path.join(rootDir, 'data'), passwordFile: path.join(rootDir, '.takt-password') };
}

/** A start-up problem the user can fix; its message is one line that says how. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

const execFileAsync = promisify(execFile);

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function accountIds(name: string): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([
    execFileAsync('id', ['-u', name]).then(({ stdout }) => Number(stdout.trim())),
    execFileAsync('id', ['-g', name]).then(({ stdout }) => Number(stdout.trim())),
  ]);
  return { uid, gid };
}

/**
 * The account to run the server as: none (the current user) unless this process is root; then the
 * `postgres` system account, created when the machine has none (as in a bare container).
 */
export async function serverAccount(): Promise<ServerAccount> {
  if (process.getuid?.() !== 0) return undefined;
  const name = 'postgres';
  try {
    return { name, ...(await accountIds(name)) };
  } catch {
    try {
      await execFileAsync('useradd', [
        '--system',
        '--user-group',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        name,
      ]);
    } catch (error) {
      throw new EmbeddedPostgresError(
        `PostgreSQL cannot run as root and the OS user "${name}" could not be created (${(error as Error).message.split('\n')[0]}): create it, or run Takt as another user.`,
      );
    }
    return { name, ...(await accountIds(name)) };
  }
}

/** Fails with the fix when `account` may not enter every folder above `dir` (e.g. a 0700 home of root). */
async function assertReachable(dir: string, account: NonNullable<ServerAccount>): Promise<void> {
  for (let folder = path.dirname(dir); ; folder = path.dirname(folder)) {
    const info = await stat(folder);
    const canEnter =
      (info.uid === account.uid && (info.mode & 0o100) !== 0) ||
      (info.gid === account.gid && (info.mode & 0o010) !== 0) ||
      (info.mode & 0o001) !== 0;
    if (!canEnter) {
      throw new EmbeddedPostgresError(
        `The embedded PostgreSQL runs as the OS user "${account.name}", which may not enter ${folder} (mode ${(info.mode & 0o777).toString(8)}): allow it (chmod o+x ${folder}) or set TAKT_DATA_DIR elsewhere.`,
      );
    }
    if (folder === path.dirname(folder)) return;
  }
}

/** Gives a path to the server's account (a no-op when the server runs as the current user). */
async function handOver(file: string, account: ServerAccount): Promise<void> {
  if (account !== undefined) await chown(file, account.uid, account.gid);
}

/** PGlite (Takt before the real embedded PostgreSQL) kept its cluster in <TAKT_DATA_DIR>/pg. */
async function assertNoPgliteData(dataDir: string, paths: ClusterPaths): Promise<void> {
  const pgliteDir = path.join(dataDir, 'pg');
  if ((await exists(paths.pgData)) || !(await exists(path.join(pgliteDir, 'PG_VERSION')))) return;
  throw new EmbeddedPostgresError(
    `${pgliteDir} holds the PGlite database of an earlier Takt version: copy it into the new embedded PostgreSQL with \`npm run db:upgrade-embedded\`, or move it away to start with a new database (see README "Upgrading from PGlite").`,
  );
}

async function runInitdb(pgData: string, passwordFile: string, account: ServerAccount): Promise<void> {
  const { initdb } = await postgresBinaries();
  const args = [
    `--pgdata=${pgData}`,
    `--username=${EMBEDDED_ROLE}`,
    `--pwfile=${passwordFile}`,
    // pg_hba.conf: a password (SCRAM) for every connection, never `trust`.
    '--auth=scram-sha-256',
    '--encoding=UTF8',
    // Locale-independent: the OS may have no locales at all; the builtin provider still gives
    // Unicode-aware upper()/lower() (PostgreSQL 17+).
    '--locale=C',
    '--locale-provider=builtin',
    '--builtin-locale=C.UTF-8',
  ];
  const child = spawn(initdb, args, {
    ...(account === undefined ? {} : { uid: account.uid, gid: account.gid }),
    // English messages in the error below, whatever the user's locale.
    env: { LC_ALL: 'C' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', resolve);
  });
  if (code !== 0) throw new Error(`initdb failed (exit code ${code}): ${stderr.trim()}`);
}

export type PreparedCluster = ClusterPaths & { password: string; account: ServerAccount };

/**
 * Makes sure the cluster of TAKT_DATA_DIR `dataDir` exists: on first start a random password and
 * initdb; afterwards the stored password. An initdb that was interrupted is started over.
 */
export async function prepareCluster(dataDir: string): Promise<PreparedCluster> {
  const paths = clusterPaths(dataDir);
  await assertNoPgliteData(dataDir, paths);
  const account = await serverAccount();
  await mkdir(paths.rootDir, { recursive: true, mode: 0o700 });
  await chmod(paths.rootDir, 0o700);
  await handOver(paths.rootDir, account);
  if (account !== undefined) await assertReachable(paths.rootDir, account);

  if (await exists(paths.pgData)) {
    const password = await readFile(paths.passwordFile, 'utf8').catch(() => {
      throw new EmbeddedPostgresError(
        `${paths.passwordFile} is missing, so Takt cannot sign in to its embedded PostgreSQL: restore the file, or move ${paths.rootDir} away to start with a new database.`,
      );
    });
    return { ...paths, password: password.trim(), account };
  }

  // initdb writes into a scratch folder that is renamed once complete: `data/` exists only whole.
  const scratch = `${paths.pgData}.initdb`;
  await rm(scratch, { recursive: true, force: true });
  const password = randomBytes(24).toString('base64url');
  await writeFile(paths.passwordFile, `${password}\n`, { mode: 0o600 });
  await chmod(paths.passwordFile, 0o600);
  await handOver(paths.passwordFile, account);
  await runInitdb(scratch, paths.passwordFile, account);
  await rename(scratch, paths.pgData);
  return { ...paths, password, account };
}
