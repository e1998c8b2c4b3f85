-- CreateTable
CREATE TABLE "kpi_rollup_day" (
    "machine_id" UUID NOT NULL,
    "day_start" TIMESTAMPTZ(3) NOT NULL,
    "day_end" TIMESTAMPTZ(3) NOT NULL,
    "calendar_ms" INTEGER NOT NULL,
    "shift_ms" INTEGER NOT NULL,
    "planned_shutdown_ms" INTEGER NOT NULL,
    "run_ms" INTEGER NOT NULL,
    "down_ms" INTEGER NOT NULL,
    "idle_ms" INTEGER NOT NULL,
    "setup_ms" INTEGER NOT NULL,
    "offline_ms" INTEGER NOT NULL,
    "unclassified_ms" INTEGER NOT NULL,
    "down_event_count" INTEGER NOT NULL,
    "good_count" INTEGER NOT NULL,
    "reject_count" INTEGER NOT NULL,
    "count_with_ideal_cycle_time" INTEGER NOT NULL,
    "count_outside_planned_busy_time" INTEGER NOT NULL,
    "ideal_production_time_sec" DOUBLE PRECISION NOT NULL,
    "good_ideal_time_sec" DOUBLE PRECISION NOT NULL,
    "missing_ideal_cycle_time" JSONB,
    "refreshed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kpi_rollup_day_pkey" PRIMARY KEY ("machine_id","day_start")
);

-- Hand-written SQL of @takt/kpi-sql. Replaces two functions of 20261125091631_kpi_sql_functions: kpi_cell_components
-- (calendar windows computed once per pattern, not once per machine) and kpi_refresh_rollups (it also maintains
-- kpi_rollup_day); adds the range-query sums kpi_rollup_sums and kpi_downtime_sums.

-- Additive KPI components (computeMachineComponents of @takt/kpi) of each cell (machine, [from_ms, to_ms)), plus the
-- cell's unplanned down time per state and reason (`downtime`, for the Pareto). Cells may be of any length: each
-- is cut into its UTC hours, and every join below is keyed by (cell, hour), so the work grows with the total
-- length of the cells and never with the amount of history around them.
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

-- Brings the hour and day rollups of the machines up to date after new or corrected data in [from_ms, to_ms) (one entry
-- per machine and touched range; `p_now_ms` is the present). Only complete hours (ending at or before the
-- present hour) are stored; queries compute the running hour exactly. Per machine it recomputes the touched hours,
-- catches up every hour completed since its coverage ended, and extends the coverage backwards to a late event,
-- so that the covered hours stay one contiguous, complete range. Returns the number of machine-hours written.
CREATE OR REPLACE FUNCTION "kpi_refresh_rollups"(p_machine_ids uuid[], p_from_ms bigint[], p_to_ms bigint[], p_now_ms bigint)
    RETURNS integer
    LANGUAGE plpgsql
    SET jit = off
AS $$
#variable_conflict use_column
DECLARE
    v_now_hour_ms bigint := p_now_ms - p_now_ms % 3600000;
    v_machine_id uuid;
    v_cell_machine_ids uuid[];
    v_cell_from_ms bigint[];
    v_cell_to_ms bigint[];
BEGIN
    -- The common case, a batch inside the running hour of machines whose coverage is current: nothing to do, and
    -- nothing is locked or written (this runs after every ingest batch).
    IF NOT EXISTS (
        SELECT 1
        FROM unnest(p_machine_ids, p_from_ms, p_to_ms) AS r(machine_id, from_ms, to_ms)
        LEFT JOIN kpi_rollup_coverage c ON c.machine_id = r.machine_id
        WHERE r.to_ms > r.from_ms
          AND (c.machine_id IS NULL OR c.to_hour < kpi_ms_ts(v_now_hour_ms) OR r.from_ms < v_now_hour_ms)
    ) THEN
        RETURN 0;
    END IF;

    -- One refresh per machine at a time (a stale computation must not commit over a fresh one); fixed order, no
    -- deadlocks. The first key is this function's own lock space ("KPIR").
    FOR v_machine_id IN SELECT DISTINCT m FROM unnest(p_machine_ids) AS m ORDER BY 1 LOOP
        PERFORM pg_advisory_xact_lock(1263552850, hashtext(v_machine_id::text));
    END LOOP;

    WITH request AS (
        SELECT r.machine_id, min(r.from_ms - r.from_ms % 3600000) AS from_hour_ms,
               max(r.to_ms + (3600000 - r.to_ms % 3600000) % 3600000) AS to_hour_ms
        FROM unnest(p_machine_ids, p_from_ms, p_to_ms) AS r(machine_id, from_ms, to_ms)
        WHERE r.to_ms > r.from_ms
        GROUP BY r.machine_id
    ), plan AS (
        SELECT r.machine_id, r.from_hour_ms, least(r.to_hour_ms, v_now_hour_ms) AS touched_to_ms,
               kpi_epoch_ms(c.from_hour) AS covered_from_ms, kpi_epoch_ms(c.to_hour) AS covered_to_ms
        FROM request r
        LEFT JOIN kpi_rollup_coverage c ON c.machine_id = r.machine_id
    ), hour AS (
        SELECT DISTINCT p.machine_id, h.hour_ms
        FROM plan p
        CROSS JOIN LATERAL (
            SELECT generate_series(p.from_hour_ms, p.touched_to_ms - 1, 3600000::bigint)
            UNION ALL
            SELECT generate_series(coalesce(p.covered_to_ms, p.from_hour_ms), v_now_hour_ms - 1, 3600000::bigint)
            UNION ALL
            SELECT generate_series(p.from_hour_ms, p.covered_from_ms - 1, 3600000::bigint)
        ) AS h(hour_ms)
        WHERE h.hour_ms < v_now_hour_ms
    )
    SELECT array_agg(h.machine_id ORDER BY h.machine_id, h.hour_ms),
           array_agg(h.hour_ms ORDER BY h.machine_id, h.hour_ms),
           array_agg(h.hour_ms + 3600000 ORDER BY h.machine_id, h.hour_ms)
    INTO v_cell_machine_ids, v_cell_from_ms, v_cell_to_ms
    FROM hour h;

    IF v_cell_machine_ids IS NOT NULL THEN
        WITH computed AS MATERIALIZED (
            SELECT * FROM kpi_cell_components(v_cell_machine_ids, v_cell_from_ms, v_cell_to_ms)
        ), rollup AS (
            INSERT INTO kpi_rollup_hour AS k (
                machine_id, hour_start, calendar_ms, shift_ms, planned_shutdown_ms, run_ms, down_ms, idle_ms, setup_ms,
                offline_ms, unclassified_ms, down_event_count, good_count, reject_count, count_with_ideal_cycle_time,
                count_outside_planned_busy_time, ideal_production_time_sec, good_ideal_time_sec,
                missing_ideal_cycle_time, refreshed_at)
            SELECT c.machine_id, kpi_ms_ts(c.from_ms), c.calendar_ms, c.shift_ms, c.planned_shutdown_ms, c.run_ms,
                   c.down_ms, c.idle_ms, c.setup_ms, c.offline_ms, c.unclassified_ms, c.down_event_count, c.good_count,
                   c.reject_count, c.count_with_ideal_cycle_time, c.count_outside_planned_busy_time,
                   c.ideal_production_time_sec, c.good_ideal_time_sec, c.missing_ideal_cycle_time, now()
            FROM computed c
            ON CONFLICT (machine_id, hour_start) DO UPDATE SET
                calendar_ms = EXCLUDED.calendar_ms, shift_ms = EXCLUDED.shift_ms,
                planned_shutdown_ms = EXCLUDED.planned_shutdown_ms, run_ms = EXCLUDED.run_ms,
                down_ms = EXCLUDED.down_ms, idle_ms = EXCLUDED.idle_ms, setup_ms = EXCLUDED.setup_ms,
                offline_ms = EXCLUDED.offline_ms, unclassified_ms = EXCLUDED.unclassified_ms,
                down_event_count = EXCLUDED.down_event_count, good_count = EXCLUDED.good_count,
                reject_count = EXCLUDED.reject_count, count_with_ideal_cycle_time = EXCLUDED.count_with_ideal_cycle_time,
                count_outside_planned_busy_time = EXCLUDED.count_outside_planned_busy_time,
                ideal_production_time_sec = EXCLUDED.ideal_production_time_sec,
                good_ideal_time_sec = EXCLUDED.good_ideal_time_sec,
                missing_ideal_cycle_time = EXCLUDED.missing_ideal_cycle_time, refreshed_at = EXCLUDED.refreshed_at
        ), removed AS (
            -- Same snapshot: this deletes the hours' old rows only, never the rows inserted below.
            DELETE FROM kpi_downtime_hour d
            USING computed c
            WHERE d.machine_id = c.machine_id AND d.hour_start = kpi_ms_ts(c.from_ms)
        )
        INSERT INTO kpi_downtime_hour (machine_id, hour_start, state, reason_id, duration_ms, event_count)
        SELECT c.machine_id, kpi_ms_ts(c.from_ms), (e ->> 'state')::"MachineState", (e ->> 'reasonId')::uuid,
               (e ->> 'durationMs')::integer, (e ->> 'eventCount')::integer
        FROM computed c
        CROSS JOIN LATERAL jsonb_array_elements(c.downtime) AS e;
    END IF;

    INSERT INTO kpi_rollup_coverage AS k (machine_id, from_hour, to_hour, updated_at)
    SELECT r.machine_id, kpi_ms_ts(least(min(r.from_ms - r.from_ms % 3600000), v_now_hour_ms)),
           kpi_ms_ts(v_now_hour_ms), now()
    FROM unnest(p_machine_ids, p_from_ms, p_to_ms) AS r(machine_id, from_ms, to_ms)
    WHERE r.to_ms > r.from_ms
    GROUP BY r.machine_id
    ON CONFLICT (machine_id) DO UPDATE SET
        from_hour = least(k.from_hour, EXCLUDED.from_hour),
        to_hour = greatest(k.to_hour, EXCLUDED.to_hour),
        updated_at = now()
    WHERE EXCLUDED.from_hour < k.from_hour OR EXCLUDED.to_hour > k.to_hour;

    IF v_cell_machine_ids IS NOT NULL THEN
        -- Day rollups: every local day (site time zone) holding a refreshed hour is summed again from its hours when
        -- it lies inside the updated coverage and starts and ends on UTC hours; any other such day has no row.
        WITH touched AS MATERIALIZED (
            SELECT d.machine_id, d.day_start, d.day_end,
                   c.from_hour <= d.day_start AND c.to_hour >= d.day_end
                   AND kpi_epoch_ms(d.day_start) % 3600000 = 0 AND kpi_epoch_ms(d.day_end) % 3600000 = 0 AS is_complete
            FROM (
                SELECT DISTINCT t.machine_id, (t.local_day::timestamp AT TIME ZONE t.time_zone) AS day_start,
                       ((t.local_day + 1)::timestamp AT TIME ZONE t.time_zone) AS day_end
                FROM (
                    SELECT DISTINCT h.machine_id, s.time_zone,
                           (kpi_ms_ts(h.hour_ms) AT TIME ZONE s.time_zone)::date AS local_day
                    FROM unnest(v_cell_machine_ids, v_cell_from_ms) AS h(machine_id, hour_ms)
                    JOIN machine m ON m.id = h.machine_id
                    JOIN line l ON l.id = m.line_id
                    JOIN area a ON a.id = l.area_id
                    JOIN site s ON s.id = a.site_id
                ) t
            ) d
            JOIN kpi_rollup_coverage c ON c.machine_id = d.machine_id
        ), removed AS (
            -- Only incomplete days are deleted and only complete ones written: no row is both.
            DELETE FROM kpi_rollup_day k
            USING touched t
            WHERE NOT t.is_complete AND k.machine_id = t.machine_id AND k.day_start = t.day_start
        )
        INSERT INTO kpi_rollup_day AS k (
            machine_id, day_start, day_end, calendar_ms, shift_ms, planned_shutdown_ms, run_ms, down_ms, idle_ms,
            setup_ms, offline_ms, unclassified_ms, down_event_count, good_count, reject_count,
            count_with_ideal_cycle_time, count_outside_planned_busy_time, ideal_production_time_sec,
            good_ideal_time_sec, missing_ideal_cycle_time, refreshed_at)
        SELECT t.machine_id, t.day_start, t.day_end, sum(h.calendar_ms), sum(h.shift_ms), sum(h.planned_shutdown_ms),
               sum(h.run_ms), sum(h.down_ms), sum(h.idle_ms), sum(h.setup_ms), sum(h.offline_ms),
               sum(h.unclassified_ms), sum(h.down_event_count), sum(h.good_count), sum(h.reject_count),
               sum(h.count_with_ideal_cycle_time), sum(h.count_outside_planned_busy_time),
               sum(h.ideal_production_time_sec), sum(h.good_ideal_time_sec),
               (SELECT jsonb_agg(jsonb_build_object('machineId', x.machine_id, 'productId', x.product_id,
                                                    'totalCount', x.total_count))
                FROM (
                    SELECT e ->> 'machineId' AS machine_id, e ->> 'productId' AS product_id,
                           sum((e ->> 'totalCount')::bigint) AS total_count
                    FROM kpi_rollup_hour h2
                    CROSS JOIN LATERAL jsonb_array_elements(h2.missing_ideal_cycle_time) AS e
                    WHERE h2.machine_id = t.machine_id AND h2.hour_start >= t.day_start AND h2.hour_start < t.day_end
                      AND h2.missing_ideal_cycle_time IS NOT NULL
                    GROUP BY 1, 2
                ) x),
               now()
        FROM touched t
        JOIN kpi_rollup_hour h ON h.machine_id = t.machine_id AND h.hour_start >= t.day_start AND h.hour_start < t.day_end
        WHERE t.is_complete
        GROUP BY t.machine_id, t.day_start, t.day_end
        ON CONFLICT (machine_id, day_start) DO UPDATE SET
            day_end = EXCLUDED.day_end, calendar_ms = EXCLUDED.calendar_ms, shift_ms = EXCLUDED.shift_ms,
            planned_shutdown_ms = EXCLUDED.planned_shutdown_ms, run_ms = EXCLUDED.run_ms,
            down_ms = EXCLUDED.down_ms, idle_ms = EXCLUDED.idle_ms, setup_ms = EXCLUDED.setup_ms,
            offline_ms = EXCLUDED.offline_ms, unclassified_ms = EXCLUDED.unclassified_ms,
            down_event_count = EXCLUDED.down_event_count, good_count = EXCLUDED.good_count,
            reject_count = EXCLUDED.reject_count, count_with_ideal_cycle_time = EXCLUDED.count_with_ideal_cycle_time,
            count_outside_planned_busy_time = EXCLUDED.count_outside_planned_busy_time,
            ideal_production_time_sec = EXCLUDED.ideal_production_time_sec,
            good_ideal_time_sec = EXCLUDED.good_ideal_time_sec,
            missing_ideal_cycle_time = EXCLUDED.missing_ideal_cycle_time, refreshed_at = EXCLUDED.refreshed_at;
    END IF;

    RETURN coalesce(cardinality(v_cell_machine_ids), 0);
END
$$;

-- Sums of rollup rows for a range query: spans (machine, level 0 = hour rows | 1 = day rows, [from_ms, to_ms)) are
-- read through the primary keys, and summed per machine and per (group, piece), piece i being
-- [p_cuts[i], p_cuts[i + 1]) (1-based, width_bucket). A row with a cut point inside is skipped: the caller computes
-- that time exactly (range-plan.ts). Two aggregation levels keep the grouping sets small; no JIT (compiling costs
-- more than the query).
CREATE FUNCTION "kpi_rollup_sums"(p_machine_ids uuid[], p_machine_nos integer[], p_group_nos integer[],
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

-- Unplanned down time per state and reason over spans (machine, [from_ms, to_ms)) of hour rows, for the downtime
-- Pareto. No JIT, as above.
CREATE FUNCTION "kpi_downtime_sums"(p_machine_ids uuid[], p_from_ms bigint[], p_to_ms bigint[])
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
