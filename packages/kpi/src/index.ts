// @takt/kpi: the pure KPI engine (no I/O). State intervals, shift calendars, counts and ideal cycle times in;
// the ISO 22400 time model, additive components, OEE and companions, and the loss waterfall out.
export * from './time-window.ts';
export * from './shift-calendar.ts';
export * from './kpi-input.types.ts';
export * from './kpi-components.ts';
export * from './time-model.ts';
export * from './oee.kpi.ts';
export * from './loss-waterfall.kpi.ts';
