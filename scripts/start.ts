// `npm start` entry: see scripts/launcher/launcher.ts.
import { runMain } from '@takt/runtime';
import { inheritedEnv, loadLauncherEnv } from './launcher/launcher.env.ts';
import { launch, type Launched } from './launcher/launcher.ts';

await runMain('takt', async () => {
  // Filled once launch() returns; a child that dies during start-up makes launch() throw instead.
  const running: { launched?: Launched } = {};
  running.launched = await launch({
    env: loadLauncherEnv(),
    childEnv: inheritedEnv(),
    // One part of the product down means the product is down: stop the rest and say so.
    onChildExit: (name, code) => {
      console.error(`[takt] the ${name} process exited (code ${code}); stopping.`);
      void (running.launched?.stop() ?? Promise.resolve()).then(() => process.exit(1));
    },
  });
  return running.launched;
});
