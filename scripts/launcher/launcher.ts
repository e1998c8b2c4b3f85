// `npm start`: the whole product on one machine. Embedded PostgreSQL and MQTT broker when
// DATABASE_URL / MQTT_URL are unset (docs/architecture.md "Processes"), migrations, the demo plant on
// first start, then the API (serving the SPA), the bridge and the simulator as child processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmbeddedBroker } from '@takt/bridge';
import { applyMigrations, createPrismaClient, EMBEDDED_DATABASE_NAME, startEmbeddedPostgres } from '@takt/db';
import type { Stoppable } from '@takt/runtime';
import { DEMO_USERS, seedDemoPlant } from '../../prisma/seed/index.ts';
import type { TLauncherEnv } from './launcher.env.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 60_000;
const CHILD_STOP_TIMEOUT_MS = 15_000;

type Say = (line: string) => void;

/** Fails fast, with the port in the message, when the web port is taken. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  const probe = createServer();
  probe.listen(port, host);
  await once(probe, 'listening');
  await new Promise<void>((resolve) => probe.close(() => resolve()));
}

type ChildSpec = { name: string; entry: string; env: Record<string, string | undefined> };

function startChild(spec: ChildSpec): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, spec.entry)], {
    cwd: REPO_ROOT,
    env: spec.env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Waits for the API's health answer; fails as soon as any child has exited (`exitedChild` names it). */
async function waitForHealth(url: string, exitedChild: () => string | undefined): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const exited = exitedChild();
    if (exited !== undefined) throw new Error(`the ${exited} process exited during start-up (see its message above)`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the API did not answer ${url} within ${READY_TIMEOUT_MS / 1000} s`);
}

/** A peer the launcher either connects to (external) or runs itself (embedded, with `stop`). */
type Peer = { url: string; mode: 'embedded' | 'external'; stop?: () => Promise<void> };

async function provideDatabase(env: TLauncherEnv, say: Say): Promise<Peer> {
  if (env.DATABASE_URL !== undefined) {
    const url = new URL(env.DATABASE_URL);
    say(`Database: PostgreSQL at ${url.host}${url.pathname}`);
    return { url: env.DATABASE_URL, mode: 'external' };
  }
  const embedded = await startEmbeddedPostgres({ dataDir: env.TAKT_DATA_DIR, port: env.EMBEDDED_DB_PORT });
  say(
    `Database: embedded PostgreSQL in ${path.join(env.TAKT_DATA_DIR, 'postgres')}, listening on 127.0.0.1:${embedded.port}`,
  );
  // Every process gets this URL, with the generated password, and connects as to any server.
  return { url: embedded.urlFor(EMBEDDED_DATABASE_NAME), mode: 'embedded', stop: () => embedded.stop() };
}

async function provideBroker(env: TLauncherEnv, say: Say): Promise<Peer> {
  if (env.MQTT_URL !== undefined) {
    say(`MQTT broker: ${env.MQTT_URL}`);
    return { url: env.MQTT_URL, mode: 'external' };
  }
  const broker = await startEmbeddedBroker({ port: env.EMBEDDED_MQTT_PORT });
  say(`MQTT broker: embedded, listening on ${broker.url}`);
  return { url: broker.url, mode: 'embedded', stop: () => broker.stop() };
}

export type LaunchOptions = {
  env: TLauncherEnv;
  /** Variables passed to the child processes (they validate their own). */
  childEnv: Record<string, string | undefined>;
  say?: Say;
  /** Called when a child process exits on its own: the launcher is then stopping. */
  onChildExit?: (name: string, code: number | null) => void;
};

export type Launched = Stoppable & { url: string; databaseUrl: string; mqttUrl: string };

export async function launch(options: LaunchOptions): Promise<Launched> {
  const { env } = options;
  const say: Say = options.say ?? ((line) => console.log(line));
  const stack: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stack.reverse()) await stop().catch(() => {});
    stack.length = 0;
  };

  try {
    await assertPortFree(env.HOST, env.PORT);

    const database = await provideDatabase(env, say);
    if (database.stop !== undefined) stack.push(database.stop);
    const databaseUrl = database.url;

    const { appliedMigrationNames } = await applyMigrations(databaseUrl);
    say(
      `Migrations: ${appliedMigrationNames.length === 0 ? 'up to date' : `applied ${appliedMigrationNames.join(', ')}`}`,
    );

    if (env.SEED_DEMO_DATA) {
      const prisma = createPrismaClient(databaseUrl, { maxConnections: 4 });
      try {
        const summary = await seedDemoPlant({ prisma, now: new Date(), log: () => {} });
        say(
          `Demo plant: ${summary.totals.machines} machines on ${summary.totals.lines} lines${summary.isHistoryGenerated ? ', 30 days of history generated' : ''}`,
        );
      } finally {
        await prisma.$disconnect();
      }
    }

    const broker = await provideBroker(env, say);
    if (broker.stop !== undefined) stack.push(broker.stop);
    const mqttUrl = broker.url;

    const childEnv = {
      ...options.childEnv,
      DATABASE_URL: databaseUrl,
      MQTT_URL: mqttUrl,
      TAKT_DATABASE_MODE: database.mode,
      TAKT_BROKER_MODE: broker.mode,
      WEB_DIST_DIR: path.join(REPO_ROOT, 'apps/web/dist'),
      HOST: env.HOST,
      PORT: String(env.PORT),
    };
    const children: ChildSpec[] = [
      { name: 'api', entry: 'apps/api/src/main.ts', env: childEnv },
      ...(env.BRIDGE_ENABLED ? [{ name: 'bridge', entry: 'apps/bridge/src/main.ts', env: childEnv }] : []),
      ...(env.SIMULATOR_ENABLED ? [{ name: 'simulator', entry: 'apps/simulator/src/main.ts', env: childEnv }] : []),
    ];
    // Until start-up is over, a child that exits fails launch() itself, which stops everything it started;
    // only afterwards does the caller hear of it (onChildExit), so no child is left running on its own.
    let isStarted = false;
    let isStopping = false;
    let exitedDuringStartUp: string | undefined;
    for (const spec of children) {
      const child = startChild(spec);
      stack.push(() => stopChild(child));
      child.once('exit', (code) => {
        if (!isStarted) exitedDuringStartUp ??= spec.name;
        else if (!isStopping) options.onChildExit?.(spec.name, code);
      });
    }

    const url = `http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT}`;
    await waitForHealth(`${url}/api/v1/health`, () => exitedDuringStartUp);
    isStarted = true;
    say('');
    say(`Takt is running: open ${url}`);
    say('Sign in as one of the demo users:');
    for (const user of DEMO_USERS) say(`  ${user.role.padEnd(10)} ${user.username} / ${user.password}`);
    say('Stop with Ctrl+C.');

    return {
      url,
      databaseUrl,
      mqttUrl,
      async stop() {
        isStopping = true;
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
