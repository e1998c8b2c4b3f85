-- kpi_refresh_rollups(p_machine_ids, p_from_ms, p_to_ms, p_now_ms) → integer: brings the hour and day rollups
-- (kpi_rollup_hour, kpi_downtime_hour, kpi_rollup_day, kpi_rollup_coverage) of the machines up to date after new or
-- corrected data in [from_ms, to_ms) (one entry per machine and touched range; `p_now_ms` is the present) and
-- returns the number of machine-hours written. Only complete hours are stored. Per machine it recomputes the touched
-- hours, catches up every hour completed since its coverage ended, and extends the coverage backwards to a late
-- event, so that the covered hours stay one contiguous, complete range. Called through refreshRollupsMany
-- (packages/kpi-sql/src/rollup-refresh.ts: refreshRollups, catchUpRollups; rollup-invalidation.ts); each hour row is
-- computeMachineComponents (packages/kpi/src/time-model.ts) of that hour, computed by kpi_cell_components.
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
