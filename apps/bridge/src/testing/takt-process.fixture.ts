// The bridge and the API as real child processes (`node --import tsx …/main.ts`), so that a fault test can kill
// them with SIGKILL — nothing of the process survives, exactly as a crash — and start them again.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const START_TIMEOUT_MS = 60_000;

export type TaktProcess = {
  /** Starts the process and resolves once it is ready (bridge: subscribed; API: /health answers). */
  start(): Promise<void>;
  /** SIGKILL: no shutdown of any kind. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit (graceful stop). */
  stop(): Promise<void>;
  isRunning(): boolean;
  /** The last lines it wrote, for a failing test's message. */
  lastOutput(): string;
  /** The distinct messages of the warnings and errors it logged (pino JSON lines), since it was first started. */
  warnings(): string[];
};

type Spec = { entry: string; env: Record<string, string>; isReady: (line: string) => boolean };

function startTaktProcess(spec: Spec, probe?: () => Promise<boolean>): TaktProcess {
  let child: ChildProcess | null = null;
  const output: string[] = [];
  const warnings = new Set<string>();
  const remember = (line: string) => {
    output.push(line);
    if (output.length > 200) output.shift();
  };

  return {
    async start() {
      if (child) throw new Error(`${spec.entry} is already running`);
      const started = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, spec.entry)], {
        cwd: REPO_ROOT,
        env: spec.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child = started;
      let isReady = false;
      let buffered = '';
      const onData = (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          remember(line);
          const level = /"level":(\d+)/.exec(line)?.[1];
          const message = /"msg":"([^"]*)"/.exec(line)?.[1];
          if (level !== undefined && Number(level) >= 40 && message !== undefined) warnings.add(message);
          if (spec.isReady(line)) isReady = true;
        }
      };
      started.stdout?.on('data', onData);
      started.stderr?.on('data', onData);
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!isReady) {
        if (started.exitCode !== null || started.signalCode !== null)
          throw new Error(`${spec.entry} exited during start:\n${output.slice(-20).join('\n')}`);
        if (Date.now() > deadline) throw new Error(`${spec.entry} not ready:\n${output.slice(-20).join('\n')}`);
        if (probe) isReady = await probe();
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async kill() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGKILL');
      await exited;
    },
    async stop() {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = once(running, 'exit');
      running.kill('SIGTERM');
      const timer = setTimeout(() => running.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
    isRunning: () => child !== null,
    lastOutput: () => output.join('\n'),
    warnings: () => [...warnings],
  };
}

export type BridgeProcessOptions = {
  databaseUrl: string;
  mqttUrl: string;
  topicPrefix: string;
  clientId: string;
  dataDir: string;
  spoolMaxMb?: number;
  maxPendingEvents?: number;
};

/** The bridge (apps/bridge/src/main.ts) with its store-and-forward spool in `dataDir`. */
export function bridgeProcess(options: BridgeProcessOptions): TaktProcess {
  return startTaktProcess({
    entry: 'apps/bridge/src/main.ts',
    env: {
      DATABASE_URL: options.databaseUrl,
      MQTT_URL: options.mqttUrl,
      MQTT_UNS_PREFIX: options.topicPrefix,
      BRIDGE_MQTT_CLIENT_ID: options.clientId,
      TAKT_DATA_DIR: options.dataDir,
      // The scenarios last less than this: no machine goes OFFLINE for silence during a fault.
      BRIDGE_OFFLINE_AFTER_SEC: '3600',
      ...(options.spoolMaxMb === undefined ? {} : { BRIDGE_SPOOL_MAX_MB: String(options.spoolMaxMb) }),
      ...(options.maxPendingEvents === undefined
        ? {}
        : { BRIDGE_MAX_PENDING_EVENTS: String(options.maxPendingEvents) }),
      LOG_LEVEL: 'info',
    },
    // The UNS source logs "subscribed" once the broker granted its subscription.
    isReady: (line) => line.includes('"msg":"subscribed"'),
  });
}

/** The API (apps/api/src/main.ts) on `port`, without the web app. */
export function apiProcess(options: { databaseUrl: string; mqttUrl: string; port: number }): TaktProcess {
  return startTaktProcess(
    {
      entry: 'apps/api/src/main.ts',
      env: {
        DATABASE_URL: options.databaseUrl,
        MQTT_URL: options.mqttUrl,
        HOST: '127.0.0.1',
        PORT: String(options.port),
        LOG_LEVEL: 'warn',
      },
      isReady: () => false,
    },
    async () => {
      try {
        return (await fetch(`http://127.0.0.1:${options.port}/api/v1/health`)).ok;
      } catch {
        return false;
      }
    },
  );
}
