// @takt/runtime: process start/stop shared by the API, the bridge, the simulator and the launcher.
export { describeStartupError, runMain, type Stoppable } from './run-main.ts';
