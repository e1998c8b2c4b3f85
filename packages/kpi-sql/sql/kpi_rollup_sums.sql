-- kpi_rollup_sums(p_machine_ids, p_machine_nos, p_group_nos, p_levels, p_from_ms, p_to_ms, p_cuts) → rows of summed
-- KPI components: spans (machine, level 0 = hour rows | 1 = day rows, [from_ms, to_ms)) are read through the
-- primary keys and summed per machine and per (group, piece), piece i being [p_cuts[i], p_cuts[i + 1]) (1-based,
-- width_bucket). A row with a cut point inside is skipped: the caller computes that time exactly. Called by
-- computeRangeComponents (packages/kpi-sql/src/range-components.query.ts) with the spans of planMachineRange
-- (range-plan.ts); the sums equal sumComponents (packages/kpi/src/kpi-components.ts) of the rows.
CREATE OR REPLACE FUNCTION "kpi_rollup_sums"(p_machine_ids uuid[], p_machine_nos integer[], p_group_nos integer[],
                                  p_levels integer[], p_from_ms bigint[], p_to_ms bigint[], p_cuts timestamptz[])
    RETURNS TABLE (
        machine_no integer, group_no integer, piece_no integer, row_count bigint,
        calendar_ms bigint, shift_ms bigint, planned_shutdown_ms bigint, run_ms bigint, down_ms bigint,
        idle_ms bigint, setup_ms bigint, offline_ms bigint, unclassified_ms bigint, down_event_count bigint,
        good_count bigint, reject_count bigint, count_with_ideal_cycle_time bigint,
        count_outside_planned_busy_time bigint, ideal_production_time_sec double precision,
        good_ideal_time_sec double precision, missing_ideal_cycle_time jsonb)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode = force_custom_plan
    SET jit = off
    SET work_mem = '32MB'
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH span AS (
        SELECT * FROM unnest(p_machine_ids, p_machine_nos, p_group_nos, p_levels, p_from_ms, p_to_ms)
            AS s(machine_id, machine_no, group_no, level, from_ms, to_ms)
    ), row_in_span AS (
        SELECT s.machine_no, s.group_no, r.start_at, r.end_at, r.calendar_ms, r.shift_ms, r.planned_shutdown_ms,
               r.run_ms, r.down_ms, r.idle_ms, r.setup_ms, r.offline_ms, r.unclassified_ms, r.down_event_count,
               r.good_count, r.reject_count, r.count_with_ideal_cycle_time, r.count_outside_planned_busy_time,
               r.ideal_production_time_sec, r.good_ideal_time_sec, r.missing_ideal_cycle_time
        FROM span s
        CROSS JOIN LATERAL (
            -- OFFSET 0 keeps each span an index range scan of its own machine.
            SELECT h.hour_start AS start_at, h.hour_start + interval '1 hour' AS end_at, h.calendar_ms, h.shift_ms,
                   h.planned_shutdown_ms, h.run_ms, h.down_ms, h.idle_ms, h.setup_ms, h.offline_ms, h.unclassified_ms,
                   h.down_event_count, h.good_count, h.reject_count, h.count_with_ideal_cycle_time,
                   h.count_outside_planned_busy_time, h.ideal_production_time_sec, h.good_ideal_time_sec,
                   h.missing_ideal_cycle_time
            FROM kpi_rollup_hour h
            WHERE s.level = 0 AND h.machine_id = s.machine_id
              AND h.hour_start >= kpi_ms_ts(s.from_ms) AND h.hour_start < kpi_ms_ts(s.to_ms)
            UNION ALL
            SELECT d.day_start, d.day_end, d.calendar_ms, d.shift_ms, d.planned_shutdown_ms, d.run_ms, d.down_ms,
                   d.idle_ms, d.setup_ms, d.offline_ms, d.unclassified_ms, d.down_event_count, d.good_count,
                   d.reject_count, d.count_with_ideal_cycle_time, d.count_outside_planned_busy_time,
                   d.ideal_production_time_sec, d.good_ideal_time_sec, d.missing_ideal_cycle_time
            FROM kpi_rollup_day d
            WHERE s.level = 1 AND d.machine_id = s.machine_id
              AND d.day_start >= kpi_ms_ts(s.from_ms) AND d.day_start < kpi_ms_ts(s.to_ms)
            OFFSET 0
        ) r
        WHERE width_bucket(r.start_at, p_cuts) = width_bucket(r.end_at - interval '1 millisecond', p_cuts)
    ), part AS (
        SELECT x.machine_no, x.group_no, width_bucket(x.start_at, p_cuts) AS piece_no, count(*) AS row_count,
               sum(x.calendar_ms) AS calendar_ms, sum(x.shift_ms) AS shift_ms,
               sum(x.planned_shutdown_ms) AS planned_shutdown_ms, sum(x.run_ms) AS run_ms, sum(x.down_ms) AS down_ms,
               sum(x.idle_ms) AS idle_ms, sum(x.setup_ms) AS setup_ms, sum(x.offline_ms) AS offline_ms,
               sum(x.unclassified_ms) AS unclassified_ms, sum(x.down_event_count) AS down_event_count,
               sum(x.good_count) AS good_count, sum(x.reject_count) AS reject_count,
               sum(x.count_with_ideal_cycle_time) AS count_with_ideal_cycle_time,
               sum(x.count_outside_planned_busy_time) AS count_outside_planned_busy_time,
               sum(x.ideal_production_time_sec) AS ideal_production_time_sec,
               sum(x.good_ideal_time_sec) AS good_ideal_time_sec
        FROM row_in_span x
        GROUP BY 1, 2, 3
    ), missing AS (
        -- Parts without an ideal cycle time, summed per machine and product before they leave the database.
        SELECT x.machine_no, x.group_no, width_bucket(x.start_at, p_cuts) AS piece_no, e ->> 'machineId' AS machine_id,
               e ->> 'productId' AS product_id, sum((e ->> 'totalCount')::bigint) AS total_count
        FROM row_in_span x
        CROSS JOIN LATERAL jsonb_array_elements(x.missing_ideal_cycle_time) AS e
        WHERE x.missing_ideal_cycle_time IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5
    ), missing_sum AS (
        SELECT m.machine_no, m.group_no, m.piece_no,
               jsonb_agg(jsonb_build_object('machineId', m.machine_id, 'productId', m.product_id,
                                            'totalCount', m.total_count)) AS missing
        FROM (
            SELECT y.machine_no, NULL::integer AS group_no, NULL::integer AS piece_no, y.machine_id, y.product_id,
                   sum(y.total_count) AS total_count
            FROM missing y GROUP BY 1, 4, 5
            UNION ALL
            SELECT NULL, y.group_no, y.piece_no, y.machine_id, y.product_id, sum(y.total_count)
            FROM missing y GROUP BY 2, 3, 4, 5
        ) m
        GROUP BY 1, 2, 3
    ), total AS (
        SELECT p.machine_no, p.group_no, p.piece_no, sum(p.row_count) AS row_count, sum(p.calendar_ms) AS calendar_ms,
               sum(p.shift_ms) AS shift_ms, sum(p.planned_shutdown_ms) AS planned_shutdown_ms,
               sum(p.run_ms) AS run_ms, sum(p.down_ms) AS down_ms, sum(p.idle_ms) AS idle_ms,
               sum(p.setup_ms) AS setup_ms, sum(p.offline_ms) AS offline_ms, sum(p.unclassified_ms) AS unclassified_ms,
               sum(p.down_event_count) AS down_event_count, sum(p.good_count) AS good_count,
               sum(p.reject_count) AS reject_count, sum(p.count_with_ideal_cycle_time) AS count_with_ideal_cycle_time,
               sum(p.count_outside_planned_busy_time) AS count_outside_planned_busy_time,
               sum(p.ideal_production_time_sec) AS ideal_production_time_sec,
               sum(p.good_ideal_time_sec) AS good_ideal_time_sec
        FROM part p
        GROUP BY GROUPING SETS ((p.machine_no), (p.group_no, p.piece_no))
    )
    SELECT t.machine_no, t.group_no, t.piece_no, t.row_count::bigint, t.calendar_ms::bigint, t.shift_ms::bigint,
           t.planned_shutdown_ms::bigint, t.run_ms::bigint, t.down_ms::bigint, t.idle_ms::bigint, t.setup_ms::bigint,
           t.offline_ms::bigint, t.unclassified_ms::bigint, t.down_event_count::bigint, t.good_count::bigint,
           t.reject_count::bigint, t.count_with_ideal_cycle_time::bigint, t.count_outside_planned_busy_time::bigint,
           t.ideal_production_time_sec, t.good_ideal_time_sec, ms.missing
    FROM total t
    LEFT JOIN missing_sum ms ON ms.machine_no IS NOT DISTINCT FROM t.machine_no
         AND ms.group_no IS NOT DISTINCT FROM t.group_no AND ms.piece_no IS NOT DISTINCT FROM t.piece_no;
END
$$;
