// How every Takt process starts and stops: a configuration mistake or a busy port ends the process
// with one clear line and exit code 1 (no stack trace); SIGINT/SIGTERM stop it gracefully.
import { ConfigError } from '@takt/contracts';

export type Stoppable = { stop(): Promise<void> };

type SystemError = Error & { code?: string; port?: number; address?: string };

/** One line saying why the process could not start. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  const systemError = error as SystemError;
  if (systemError?.code === 'EADDRINUSE') {
    return `Port ${systemError.port ?? ''} on ${systemError.address ?? 'this host'} is already in use: stop the other program or set another port.`;
  }
  if (systemError?.code === 'EACCES' && systemError.port !== undefined) {
    return `Not allowed to listen on port ${systemError.port}: choose a port above 1023.`;
  }
  if (error instanceof Error) return error.message.split('\n')[0] ?? String(error);
  return String(error);
}

/** Starts `name`, and stops it once on the first SIGINT/SIGTERM. */
export async function runMain(name: string, start: () => Promise<Stoppable>): Promise<void> {
  let running: Stoppable;
  try {
    running = await start();
  } catch (error) {
    console.error(`[${name}] cannot start: ${describeStartupError(error)}`);
    process.exit(1);
  }
  let isStopping = false;
  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    if (isStopping) return;
    isStopping = true;
    try {
      await running.stop();
      process.exit(0);
    } catch (error) {
      console.error(`[${name}] error while stopping on ${signal}: ${describeStartupError(error)}`);
      process.exit(1);
    }
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}
