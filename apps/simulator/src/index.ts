// @takt/simulator: the demo plant, importable by the launcher (`npm start` runs it in-process).
export { startSimulator, type Simulator, type StartSimulatorOptions } from './simulator.ts';
export {
  loadSimulatorEnv,
  SIMULATOR_PROTOCOLS,
  ZSimulatorEnv,
  type SimulatorProtocol,
  type TSimulatorEnv,
} from './env.ts';
