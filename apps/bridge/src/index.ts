// @takt/bridge: the OT → PostgreSQL bridge, importable by the launcher (`npm start` runs it in-process).
export { startBridge, type Bridge, type BridgeStats, type StartBridgeOptions } from './bridge.ts';
export { startEmbeddedBroker, type EmbeddedBroker, type EmbeddedBrokerOptions } from './embedded-broker.ts';
export { loadBridgeEnv, ZBridgeEnv, type TBridgeEnv } from './env.ts';
