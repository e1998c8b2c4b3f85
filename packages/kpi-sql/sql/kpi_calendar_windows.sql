-- kpi_calendar_windows(p_pattern_id, p_time_zone, p_from_ms, p_to_ms) → rows (kind, start_ms, end_ms): the shift
-- windows ('S') of a shift pattern and their breaks ('B', clipped to their shift) that overlap [p_from_ms, p_to_ms),
-- laid out in the site's time zone. Mirrors expandShiftCalendar (packages/kpi/src/shift-calendar.ts).
CREATE OR REPLACE FUNCTION "kpi_calendar_windows"(p_pattern_id uuid, p_time_zone text, p_from_ms bigint, p_to_ms bigint)
    RETURNS TABLE (kind "char", start_ms bigint, end_ms bigint)
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    WITH shift_window AS (
        SELECT sh.id, d.day, sh.start_minute,
               kpi_wall_clock_ms(d.day, sh.start_minute, p_time_zone) AS start_ms,
               kpi_wall_clock_ms(d.day, sh.start_minute + sh.duration_min, p_time_zone) AS end_ms
        FROM shift sh
        CROSS JOIN LATERAL (
            -- A shift that started a day or two before `from` can still reach into it.
            SELECT first_day + k AS day
            FROM (SELECT (kpi_ms_ts(p_from_ms) AT TIME ZONE p_time_zone)::date
                         - (sh.start_minute + sh.duration_min + 1439) / 1440 AS first_day) f,
                 generate_series(0, (kpi_ms_ts(p_to_ms) AT TIME ZONE p_time_zone)::date - f.first_day) AS k
        ) d
        WHERE sh.pattern_id = p_pattern_id AND extract(isodow FROM d.day)::integer = ANY (sh.weekdays)
    ), shift_in_range AS (
        SELECT * FROM shift_window w WHERE w.end_ms > w.start_ms AND w.start_ms < p_to_ms AND w.end_ms > p_from_ms
    )
    SELECT 'S'::"char", s.start_ms, s.end_ms FROM shift_in_range s
    UNION ALL
    SELECT 'B'::"char", b.start_ms, b.end_ms
    FROM shift_in_range s
    CROSS JOIN LATERAL (
        SELECT greatest(kpi_wall_clock_ms(s.day, s.start_minute + br.offset_min, p_time_zone), s.start_ms) AS start_ms,
               least(kpi_wall_clock_ms(s.day, s.start_minute + br.offset_min + br.duration_min, p_time_zone), s.end_ms)
                   AS end_ms
        FROM shift_break br
        WHERE br.shift_id = s.id
    ) b
    WHERE b.end_ms > b.start_ms AND b.start_ms < p_to_ms AND b.end_ms > p_from_ms
$$;
