-- kpi_downtime_sums(p_machine_ids, p_from_ms, p_to_ms) → rows (state, reason_id, duration_ms, event_count): the
-- unplanned down time per state and reason over spans (machine, [from_ms, to_ms)) of kpi_downtime_hour rows, for the
-- downtime Pareto: mergeDowntime (packages/kpi-sql/src/components-row.mapper.ts) of the hours' entries, in SQL.
-- Called by computeRangeDowntime (packages/kpi-sql/src/range-components.query.ts).
CREATE OR REPLACE FUNCTION "kpi_downtime_sums"(p_machine_ids uuid[], p_from_ms bigint[], p_to_ms bigint[])
    RETURNS TABLE (state "MachineState", reason_id uuid, duration_ms bigint, event_count bigint)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_custom_plan
    SET jit = off
    SET work_mem = '32MB'
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT d.state, d.reason_id, sum(d.duration_ms)::bigint, sum(d.event_count)::bigint
    FROM unnest(p_machine_ids, p_from_ms, p_to_ms) AS m(machine_id, from_ms, to_ms)
    CROSS JOIN LATERAL (
        -- OFFSET 0 keeps each span an index range scan of its own machine.
        SELECT h.state, h.reason_id, h.duration_ms, h.event_count
        FROM kpi_downtime_hour h
        WHERE h.machine_id = m.machine_id AND h.hour_start >= kpi_ms_ts(m.from_ms) AND h.hour_start < kpi_ms_ts(m.to_ms)
        OFFSET 0
    ) d
    GROUP BY d.state, d.reason_id;
END
$$;
