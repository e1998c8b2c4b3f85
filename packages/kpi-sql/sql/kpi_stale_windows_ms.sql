-- kpi_stale_windows_ms(p_stale tstzmultirange) → jsonb: the stale hours of a kpi_rollup_coverage row as
-- [[from_ms, to_ms], …], sorted: what planMachineRange (packages/kpi-sql/src/range-plan.ts) subtracts from the
-- rolled-up hours. Read by loadRollupCoverage (packages/kpi-sql/src/rollup-coverage.query.ts) through
-- coverageFromRow, and by the API's KPI repository.
CREATE OR REPLACE FUNCTION "kpi_stale_windows_ms"(p_stale tstzmultirange) RETURNS jsonb
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (SELECT coalesce(jsonb_agg(jsonb_build_array(kpi_epoch_ms(lower(r)), kpi_epoch_ms(upper(r))) ORDER BY lower(r)),
                            '[]'::jsonb)
            FROM unnest(p_stale) AS r);
