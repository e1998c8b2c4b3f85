// @takt/kpi-sql: @takt/kpi's figures computed in PostgreSQL. Exact components of any cell (machine × range) from the
// raw tables, hour rollups maintained incrementally as events arrive, and range queries that add rollups for the
// full hours to exact computation of the rest. The SQL functions live in sql/, one file each.
export * from './kpi-sql.types.ts';
export * from './components-row.mapper.ts';
export * from './cell-components.query.ts';
export * from './rollup-refresh.ts';
export * from './rollup-coverage.query.ts';
export * from './rollup-invalidation.ts';
export * from './range-plan.ts';
export * from './range-components.query.ts';
export * from './kpi-inputs.query.ts';
