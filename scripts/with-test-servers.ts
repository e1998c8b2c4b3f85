// `node --import tsx scripts/with-test-servers.ts <command> [args…]`: runs the command (the test
// suites of `npm test`) with TEST_DATABASE_URL and TEST_MQTT_URL naming servers that answer. Where no
// PostgreSQL or broker answers at those URLs (default: this machine's 5432 and 1883), it starts the
// embedded ones of `npm start` for the run — a PostgreSQL in a temporary folder and the in-process
// MQTT broker — and stops them when the command ends, fails or is interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { startEmbeddedBroker } from '@takt/bridge';
import { startScratchPostgres } from '@takt/db';
import { loadTestServersEnv } from '@takt/runtime/testing';

const PROBE_TIMEOUT_MS = 2_000;

const say = (line: string): void => console.log(`[test servers] ${line}`);

/** Whether something accepts TCP connections at the URL's host and port. */
async function isAnswering(url: string, defaultPort: number): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || defaultPort) });
  socket.setTimeout(PROBE_TIMEOUT_MS, () => socket.destroy(new Error('timeout')));
  try {
    await once(socket, 'connect');
    return true;
  } catch {
    return false;
  } finally {
    socket.destroy();
  }
}

const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('Usage: node --import tsx scripts/with-test-servers.ts <command> [args…]');
  process.exit(2);
}

const env = loadTestServersEnv();
const stops: (() => Promise<void>)[] = [];
const childEnv: Record<string, string> = { ...env };
// Set once the command runs; the signal handlers below need it.
const running: { child?: ChildProcess } = {};
let interruptedBy: NodeJS.Signals | undefined;

async function stopServers(): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch((error: unknown) => say(`stopping failed: ${String(error)}`));
  stops.length = 0;
}

// Ctrl+C reaches the command too (same process group): wait for it to end, then stop the servers.
// A SIGTERM sent to this process alone is passed on. A signal during start-up stops what started.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interruptedBy ??= signal;
    if (signal === 'SIGTERM') running.child?.kill('SIGTERM');
  });
}
async function exitIfInterrupted(): Promise<void> {
  if (interruptedBy === undefined) return;
  await stopServers();
  process.exit(128 + (interruptedBy === 'SIGINT' ? 2 : 15));
}

if (await isAnswering(env.TEST_DATABASE_URL, 5432)) {
  say(`PostgreSQL: ${new URL(env.TEST_DATABASE_URL).host}`);
} else {
  const postgres = await startScratchPostgres();
  stops.push(() => postgres.stop());
  childEnv.TEST_DATABASE_URL = postgres.url;
  say(
    `PostgreSQL: none answers at ${new URL(env.TEST_DATABASE_URL).host}; embedded server on 127.0.0.1:${postgres.port}`,
  );
}
await exitIfInterrupted();

if (await isAnswering(env.TEST_MQTT_URL, 1883)) {
  say(`MQTT broker: ${new URL(env.TEST_MQTT_URL).host}`);
} else {
  const broker = await startEmbeddedBroker({ port: 0 });
  stops.push(() => broker.stop());
  childEnv.TEST_MQTT_URL = broker.url;
  say(`MQTT broker: none answers at ${new URL(env.TEST_MQTT_URL).host}; embedded broker on ${broker.url}`);
}
await exitIfInterrupted();

const child = spawn(command, args, { env: { ...process.env, ...childEnv }, stdio: 'inherit' });
running.child = child;
let exitCode: number;
try {
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  exitCode = code ?? 128 + (signal === 'SIGINT' ? 2 : 15);
} catch (error) {
  say(`could not run ${command}: ${(error as Error).message}`);
  exitCode = 127;
}
await stopServers();
process.exit(exitCode);
