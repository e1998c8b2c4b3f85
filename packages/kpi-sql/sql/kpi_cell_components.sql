-- kpi_cell_components(p_machine_ids, p_from_ms, p_to_ms) → one row per cell (machine, [from_ms, to_ms)), the arrays
-- read in parallel: the additive KPI components of the cell (times in ms, counts, ideal times, parts without an
-- ideal cycle time) and its unplanned down time per state and reason (`downtime`, for the Pareto). Mirrors
-- computeMachineComponents (packages/kpi/src/time-model.ts): outside every shift → not scheduled; break → planned
-- shutdown; scheduled planned downtime → planned shutdown; else the state decides; time with no state interval is
-- OFFLINE; DOWN events count where they start; count buckets belong to the cell holding `bucket_start`. Called by
-- computeCellComponents (packages/kpi-sql/src/cell-components.query.ts) and by kpi_refresh_rollups. Cells may be of
-- any length: each is cut into its UTC hours, and every join is keyed by (cell, hour), so the work grows with the
-- total length of the cells and never with the amount of history around them.
CREATE OR REPLACE FUNCTION "kpi_cell_components"(p_machine_ids uuid[], p_from_ms bigint[], p_to_ms bigint[])
    RETURNS TABLE (
        cell_no integer, machine_id uuid, from_ms bigint, to_ms bigint,
        calendar_ms bigint, shift_ms bigint, planned_shutdown_ms bigint, run_ms bigint, down_ms bigint,
        idle_ms bigint, setup_ms bigint, offline_ms bigint, unclassified_ms bigint, down_event_count bigint,
        good_count bigint, reject_count bigint, count_with_ideal_cycle_time bigint,
        count_outside_planned_busy_time bigint, ideal_production_time_sec double precision,
        good_ideal_time_sec double precision, missing_ideal_cycle_time jsonb, downtime jsonb)
    LANGUAGE plpgsql STABLE
    -- Custom plans: the cell arrays' lengths (1 to many thousands) decide the join strategies. No JIT: compiling
    -- this statement costs seconds, running it milliseconds.
    SET plan_cache_mode = force_custom_plan
    SET jit = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH cell AS (
        SELECT c.ord::integer AS cell_no, c.machine_id, c.from_ms, c.to_ms
        FROM unnest(p_machine_ids, p_from_ms, p_to_ms) WITH ORDINALITY AS c(machine_id, from_ms, to_ms, ord)
        WHERE c.to_ms > c.from_ms
    ), sub AS (
        SELECT cell.cell_no, cell.machine_id, h AS hour_ms,
               greatest(cell.from_ms, h) AS from_ms, least(cell.to_ms, h + 3600000) AS to_ms
        FROM cell
        CROSS JOIN LATERAL generate_series(cell.from_ms - cell.from_ms % 3600000, cell.to_ms - 1, 3600000::bigint) AS h
    ), ctx AS (
        SELECT m.id AS machine_id, m.line_id, l.shift_pattern_id, s.time_zone
        FROM machine m
        JOIN line l ON l.id = m.line_id
        JOIN area a ON a.id = l.area_id
        JOIN site s ON s.id = a.site_id
        WHERE m.id IN (SELECT cell.machine_id FROM cell)
    ), span AS (
        SELECT min(cell.from_ms) AS from_ms, max(cell.to_ms) AS to_ms FROM cell
    ), pattern_span AS (
        SELECT ctx.shift_pattern_id, ctx.time_zone, min(cell.from_ms) AS from_ms, max(cell.to_ms) AS to_ms
        FROM cell JOIN ctx USING (machine_id)
        WHERE ctx.shift_pattern_id IS NOT NULL
        GROUP BY ctx.shift_pattern_id, ctx.time_zone
    ), pattern_window_hour AS MATERIALIZED (
        -- Shift and break windows once per pattern (not per machine: hence MATERIALIZED), under every hour they touch.
        SELECT ps.shift_pattern_id, ps.time_zone, w.kind, w.start_ms, w.end_ms, h AS hour_ms
        FROM pattern_span ps
        CROSS JOIN LATERAL kpi_calendar_windows(ps.shift_pattern_id, ps.time_zone, ps.from_ms, ps.to_ms) AS w
        CROSS JOIN LATERAL generate_series(greatest(w.start_ms, ps.from_ms) - greatest(w.start_ms, ps.from_ms) % 3600000,
                                           least(w.end_ms, ps.to_ms) - 1, 3600000::bigint) AS h
    ), planned_downtime_hour AS MATERIALIZED (
        SELECT pd.line_id, pd.machine_id, pd.start_ms, pd.end_ms, h AS hour_ms
        FROM (
            SELECT p.line_id, p.machine_id, kpi_epoch_ms(p.starts_at) AS start_ms, kpi_epoch_ms(p.ends_at) AS end_ms
            FROM planned_downtime p, span
            WHERE (p.line_id IN (SELECT ctx.line_id FROM ctx) OR p.machine_id IN (SELECT ctx.machine_id FROM ctx))
              AND p.starts_at < kpi_ms_ts(span.to_ms) AND p.ends_at > kpi_ms_ts(span.from_ms)
        ) pd, span
        CROSS JOIN LATERAL generate_series(greatest(pd.start_ms, span.from_ms) - greatest(pd.start_ms, span.from_ms) % 3600000,
                                           least(pd.end_ms, span.to_ms) - 1, 3600000::bigint) AS h
    ), sub_window AS (
        SELECT s.cell_no, s.hour_ms, w.kind,
               int8range(greatest(w.start_ms, s.from_ms), least(w.end_ms, s.to_ms)) AS r
        FROM sub s
        JOIN ctx ON ctx.machine_id = s.machine_id
        JOIN pattern_window_hour w ON w.shift_pattern_id = ctx.shift_pattern_id AND w.time_zone = ctx.time_zone
             AND w.hour_ms = s.hour_ms
        WHERE w.start_ms < s.to_ms AND w.end_ms > s.from_ms
        UNION ALL
        SELECT s.cell_no, s.hour_ms, 'P'::"char",
               int8range(greatest(p.start_ms, s.from_ms), least(p.end_ms, s.to_ms))
        FROM sub s
        JOIN ctx ON ctx.machine_id = s.machine_id
        JOIN planned_downtime_hour p ON p.hour_ms = s.hour_ms
             AND (p.machine_id = s.machine_id OR p.line_id = ctx.line_id)
        WHERE p.start_ms < s.to_ms AND p.end_ms > s.from_ms
    ), sub_calendar AS (
        SELECT s.cell_no, s.hour_ms, s.from_ms, s.to_ms,
               coalesce(range_agg(w.r) FILTER (WHERE w.kind = 'S'), '{}'::int8multirange) AS shift_time,
               coalesce(range_agg(w.r) FILTER (WHERE w.kind = 'B'), '{}'::int8multirange) AS break_time,
               coalesce(range_agg(w.r) FILTER (WHERE w.kind = 'P'), '{}'::int8multirange) AS planned_downtime
        FROM sub s
        LEFT JOIN sub_window w ON w.cell_no = s.cell_no AND w.hour_ms = s.hour_ms
        GROUP BY s.cell_no, s.hour_ms, s.from_ms, s.to_ms
    ), calendar_piece AS (
        -- The calendar classes partition each hour: 0 not scheduled, 1 break, 2 planned downtime, 3 scheduled.
        SELECT c.cell_no, c.hour_ms, p.calendar_class, lower(p.r) AS start_ms, upper(p.r) AS end_ms
        FROM (
            SELECT sc.cell_no, sc.hour_ms,
                   int8multirange(int8range(sc.from_ms, sc.to_ms)) - sc.shift_time AS not_scheduled,
                   sc.break_time * sc.shift_time AS break_time,
                   sc.planned_downtime * sc.shift_time - sc.break_time AS planned_downtime,
                   sc.shift_time - sc.break_time - sc.planned_downtime AS scheduled
            FROM sub_calendar sc
        ) c
        CROSS JOIN LATERAL (
            SELECT 0 AS calendar_class, r FROM unnest(c.not_scheduled) AS r
            UNION ALL SELECT 1, r FROM unnest(c.break_time) AS r
            UNION ALL SELECT 2, r FROM unnest(c.planned_downtime) AS r
            UNION ALL SELECT 3, r FROM unnest(c.scheduled) AS r
        ) p
    ), interval_row AS (
        -- The intervals starting in the hour, plus the last one before it (the only earlier one that can reach in).
        SELECT s.cell_no, s.hour_ms, s.from_ms AS sub_from_ms, s.to_ms AS sub_to_ms,
               i.state, i.reason_id, i.product_id, kpi_epoch_ms(i.started_at) AS start_ms,
               coalesce(kpi_epoch_ms(i.ended_at), 9223372036854775807) AS end_ms
        FROM sub s
        CROSS JOIN LATERAL (
            (SELECT msi.state, msi.reason_id, msi.product_id, msi.started_at, msi.ended_at
             FROM machine_state_interval msi
             WHERE msi.machine_id = s.machine_id AND msi.started_at < kpi_ms_ts(s.from_ms)
             ORDER BY msi.started_at DESC
             LIMIT 1)
            UNION ALL
            SELECT msi.state, msi.reason_id, msi.product_id, msi.started_at, msi.ended_at
            FROM machine_state_interval msi
            WHERE msi.machine_id = s.machine_id
              AND msi.started_at >= kpi_ms_ts(s.from_ms) AND msi.started_at < kpi_ms_ts(s.to_ms)
        ) i
    ), state_piece AS (
        -- A state lasts until the next one starts (normalizeStateIntervals), clipped to the hour.
        SELECT n.cell_no, n.hour_ms, n.state, n.reason_id, n.product_id,
               greatest(n.start_ms, n.sub_from_ms) AS start_ms, least(n.norm_end_ms, n.sub_to_ms) AS end_ms,
               n.start_ms >= n.sub_from_ms AS is_start
        FROM (
            SELECT ir.*,
                   least(ir.end_ms, coalesce(lead(ir.start_ms) OVER (PARTITION BY ir.cell_no, ir.hour_ms ORDER BY ir.start_ms),
                                             9223372036854775807)) AS norm_end_ms
            FROM interval_row ir
        ) n
        WHERE least(n.norm_end_ms, n.sub_to_ms) > greatest(n.start_ms, n.sub_from_ms)
    ), piece AS (
        SELECT sp.cell_no, sp.hour_ms, sp.state, sp.reason_id, sp.product_id, sp.start_ms, sp.end_ms, sp.is_start
        FROM state_piece sp
        UNION ALL
        -- Time that no interval covers counts as OFFLINE (a data gap).
        SELECT s.cell_no, s.hour_ms, 'OFFLINE'::"MachineState", NULL::uuid, NULL::uuid, lower(g), upper(g), false
        FROM sub s
        LEFT JOIN (
            SELECT sp.cell_no, sp.hour_ms, range_agg(int8range(sp.start_ms, sp.end_ms)) AS covered
            FROM state_piece sp GROUP BY sp.cell_no, sp.hour_ms
        ) c ON c.cell_no = s.cell_no AND c.hour_ms = s.hour_ms
        CROSS JOIN LATERAL unnest(int8multirange(int8range(s.from_ms, s.to_ms)) - coalesce(c.covered, '{}'::int8multirange)) AS g
    ), segment AS (
        -- Time classes: 0 not scheduled, 1 planned shutdown, 2 run (APT), 3 unplanned down.
        SELECT p.cell_no, p.hour_ms, p.state, p.reason_id, p.product_id,
               greatest(p.start_ms, c.start_ms) AS start_ms, least(p.end_ms, c.end_ms) AS end_ms,
               CASE WHEN c.calendar_class = 0 THEN 0
                    WHEN c.calendar_class IN (1, 2) THEN 1
                    WHEN p.state = 'PRODUCING' THEN 2
                    WHEN p.state IN ('PLANNED_STOP', 'NO_ORDER') THEN 1
                    ELSE 3 END AS time_class
        FROM piece p
        JOIN calendar_piece c ON c.cell_no = p.cell_no AND c.hour_ms = p.hour_ms
             AND c.start_ms < p.end_ms AND c.end_ms > p.start_ms
    ), time_total AS (
        SELECT sg.cell_no,
               sum(sg.end_ms - sg.start_ms) AS calendar_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class <> 0) AS shift_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 1) AS planned_shutdown_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 2) AS run_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 3 AND sg.state = 'DOWN') AS down_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 3 AND sg.state = 'IDLE') AS idle_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 3 AND sg.state = 'CHANGEOVER') AS setup_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (WHERE sg.time_class = 3 AND sg.state = 'OFFLINE') AS offline_ms,
               sum(sg.end_ms - sg.start_ms) FILTER (
                   WHERE sg.time_class = 3 AND sg.state IN ('DOWN', 'IDLE') AND sg.reason_id IS NULL) AS unclassified_ms
        FROM segment sg
        GROUP BY sg.cell_no
    ), event_total AS (
        SELECT p.cell_no, count(*) AS down_event_count
        FROM piece p WHERE p.is_start AND p.state = 'DOWN'
        GROUP BY p.cell_no
    ), downtime AS (
        SELECT d.cell_no,
               jsonb_agg(jsonb_build_object('state', d.state, 'reasonId', d.reason_id, 'durationMs', d.duration_ms,
                                            'eventCount', d.event_count)) AS downtime
        FROM (
            SELECT x.cell_no, x.state, x.reason_id, sum(x.duration_ms) AS duration_ms, sum(x.event_count) AS event_count
            FROM (
                SELECT sg.cell_no, sg.state, sg.reason_id, sg.end_ms - sg.start_ms AS duration_ms, 0 AS event_count
                FROM segment sg WHERE sg.time_class = 3
                UNION ALL
                SELECT p.cell_no, p.state, p.reason_id, 0, 1
                FROM piece p WHERE p.is_start AND p.state IN ('DOWN', 'IDLE', 'CHANGEOVER', 'OFFLINE')
            ) x
            GROUP BY x.cell_no, x.state, x.reason_id
        ) d
        GROUP BY d.cell_no
    ), count_row AS (
        SELECT s.cell_no, s.hour_ms, s.machine_id, kpi_epoch_ms(pc.bucket_start) AS bucket_ms, pc.product_id,
               pc.good_count, pc.reject_count
        FROM sub s
        CROSS JOIN LATERAL (
            SELECT pc.bucket_start, pc.product_id, pc.good_count, pc.reject_count
            FROM production_count pc
            WHERE pc.machine_id = s.machine_id
              AND pc.bucket_start >= kpi_ms_ts(s.from_ms) AND pc.bucket_start < kpi_ms_ts(s.to_ms)
        ) pc
    ), segment_index AS (
        -- The segments partition each hour; a bucket's segment is found by binary search (width_bucket).
        SELECT sg.cell_no, sg.hour_ms, array_agg(sg.start_ms ORDER BY sg.start_ms) AS starts,
               array_agg(sg.product_id ORDER BY sg.start_ms) AS products,
               array_agg(sg.time_class ORDER BY sg.start_ms) AS time_classes
        FROM segment sg
        GROUP BY sg.cell_no, sg.hour_ms
    ), ideal AS (
        -- Ideal cycle time per machine and product: the machine's own row wins over its line's.
        SELECT DISTINCT ON (x.machine_id, x.product_id) x.machine_id, x.product_id, x.ideal_cycle_time_sec
        FROM (
            SELECT ctx.machine_id, i.product_id, i.ideal_cycle_time_sec, 0 AS rank
            FROM ctx JOIN ideal_cycle_time i ON i.machine_id = ctx.machine_id
            UNION ALL
            SELECT ctx.machine_id, i.product_id, i.ideal_cycle_time_sec, 1
            FROM ctx JOIN ideal_cycle_time i ON i.line_id = ctx.line_id
        ) x
        ORDER BY x.machine_id, x.product_id, x.rank
    ), count_ideal AS (
        SELECT r.cell_no, r.machine_id, r.product_id, r.good_count, r.reject_count, r.is_in_planned_busy_time,
               coalesce(ideal.ideal_cycle_time_sec > 0 AND ideal.ideal_cycle_time_sec < 'Infinity'::float8, false)
                   AS has_ideal_cycle_time,
               ideal.ideal_cycle_time_sec
        FROM (
            -- A bucket without a product takes the product of the state interval it starts in.
            SELECT cr.cell_no, cr.machine_id, coalesce(cr.product_id, si.products[k.i]) AS product_id,
                   cr.good_count, cr.reject_count, si.time_classes[k.i] IN (2, 3) AS is_in_planned_busy_time
            FROM count_row cr
            JOIN segment_index si ON si.cell_no = cr.cell_no AND si.hour_ms = cr.hour_ms
            CROSS JOIN LATERAL (SELECT width_bucket(cr.bucket_ms, si.starts) AS i) k
        ) r
        LEFT JOIN ideal ON ideal.machine_id = r.machine_id AND ideal.product_id = r.product_id
    ), count_total AS (
        SELECT ci.cell_no,
               sum(ci.good_count) AS good_count,
               sum(ci.reject_count) AS reject_count,
               sum(ci.good_count + ci.reject_count) FILTER (WHERE ci.has_ideal_cycle_time) AS count_with_ideal_cycle_time,
               sum(ci.good_count + ci.reject_count) FILTER (WHERE NOT ci.is_in_planned_busy_time)
                   AS count_outside_planned_busy_time,
               sum(ci.ideal_cycle_time_sec * (ci.good_count + ci.reject_count)) FILTER (WHERE ci.has_ideal_cycle_time)
                   AS ideal_production_time_sec,
               sum(ci.ideal_cycle_time_sec * ci.good_count) FILTER (WHERE ci.has_ideal_cycle_time) AS good_ideal_time_sec
        FROM count_ideal ci
        GROUP BY ci.cell_no
    ), missing AS (
        SELECT m.cell_no,
               jsonb_agg(jsonb_build_object('machineId', m.machine_id, 'productId', m.product_id,
                                            'totalCount', m.total_count)) AS missing
        FROM (
            SELECT ci.cell_no, ci.machine_id, ci.product_id, sum(ci.good_count + ci.reject_count) AS total_count
            FROM count_ideal ci
            WHERE NOT ci.has_ideal_cycle_time AND ci.good_count + ci.reject_count > 0
            GROUP BY ci.cell_no, ci.machine_id, ci.product_id
        ) m
        GROUP BY m.cell_no
    )
    SELECT c.cell_no, c.machine_id, c.from_ms, c.to_ms,
           t.calendar_ms::bigint, coalesce(t.shift_ms, 0)::bigint, coalesce(t.planned_shutdown_ms, 0)::bigint,
           coalesce(t.run_ms, 0)::bigint, coalesce(t.down_ms, 0)::bigint, coalesce(t.idle_ms, 0)::bigint,
           coalesce(t.setup_ms, 0)::bigint, coalesce(t.offline_ms, 0)::bigint, coalesce(t.unclassified_ms, 0)::bigint,
           coalesce(e.down_event_count, 0)::bigint,
           coalesce(ct.good_count, 0)::bigint, coalesce(ct.reject_count, 0)::bigint,
           coalesce(ct.count_with_ideal_cycle_time, 0)::bigint, coalesce(ct.count_outside_planned_busy_time, 0)::bigint,
           coalesce(ct.ideal_production_time_sec, 0)::double precision,
           coalesce(ct.good_ideal_time_sec, 0)::double precision,
           m.missing, coalesce(d.downtime, '[]'::jsonb)
    FROM cell c
    JOIN time_total t ON t.cell_no = c.cell_no
    LEFT JOIN event_total e ON e.cell_no = c.cell_no
    LEFT JOIN count_total ct ON ct.cell_no = c.cell_no
    LEFT JOIN missing m ON m.cell_no = c.cell_no
    LEFT JOIN downtime d ON d.cell_no = c.cell_no
    ORDER BY c.cell_no;
END
$$;
