// A Mosquitto broker a fault test owns: its own process (so that the test can kill it with SIGKILL and start it
// again on the same persistence file), a free loopback port, and the durability and queue settings a plant runs
// with, read from deploy/mosquitto/mosquitto.conf (persistence, autosave, queue and in-flight limits).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.fixture.ts';

export const MOSQUITTO_BINARY = '/usr/sbin/mosquitto';
const PLANT_CONFIG = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../../deploy/mosquitto/mosquitto.conf',
);
/** The settings of the plant configuration that decide what survives a crash and what is queued. */
const DURABILITY_SETTINGS = [
  'autosave_interval',
  'autosave_on_changes',
  'max_queued_messages',
  'max_queued_bytes',
  'max_inflight_messages',
  'persistent_client_expiration',
];

export type MosquittoBroker = {
  url: string;
  port: number;
  /** Seconds between two saves of the broker's state: what it received since the last one dies with it. */
  autosaveIntervalSec: number;
  kill(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
};

export const isMosquittoInstalled = (): boolean => existsSync(MOSQUITTO_BINARY);

/** The durability settings of deploy/mosquitto/mosquitto.conf, as `key value` lines. */
export function plantDurabilitySettings(): Map<string, string> {
  const settings = new Map<string, string>();
  for (const line of readFileSync(PLANT_CONFIG, 'utf8').split('\n')) {
    const [key, ...value] = line.trim().split(/\s+/);
    if (key !== undefined && DURABILITY_SETTINGS.includes(key)) settings.set(key, value.join(' '));
  }
  return settings;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`mosquitto exited with code ${child.exitCode}`);
    const isOpen = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (isOpen) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`mosquitto did not listen on ${port}`);
}

export async function startMosquittoBroker(): Promise<MosquittoBroker> {
  const dir = await mkdtemp(path.join(tmpdir(), 'takt-fault-mqtt-'));
  const port = await freePort();
  const settings = plantDurabilitySettings();
  const configPath = path.join(dir, 'mosquitto.conf');
  await writeFile(
    configPath,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      // Started as root, mosquitto would switch to user mosquitto, who cannot write the test's directory.
      `user ${userInfo().username}`,
      'persistence true',
      `persistence_location ${dir}/`,
      ...[...settings].map(([key, value]) => `${key} ${value}`),
      'log_dest none',
      '',
    ].join('\n'),
  );
  let child: ChildProcess | null = null;

  async function start(): Promise<void> {
    child = spawn(MOSQUITTO_BINARY, ['-c', configPath], { stdio: 'ignore' });
    await waitForPort(port, child);
  }
  async function kill(): Promise<void> {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  }
  await start();
  return {
    url: `mqtt://127.0.0.1:${port}`,
    port,
    autosaveIntervalSec: Number(settings.get('autosave_interval') ?? 1800),
    kill,
    start,
    async destroy() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
