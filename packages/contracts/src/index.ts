// @takt/contracts: every zod contract shared by the API, the web app, the bridge and the simulator.
export * from './roles.contract.ts';
export * from './auth.contract.ts';
export * from './problem.contract.ts';
export * from './machine-state.contract.ts';
export * from './health.contract.ts';
export * from './env.contract.ts';
export * from './uns.contract.ts';
export * from './list.contract.ts';
export * from './machine-status.contract.ts';
