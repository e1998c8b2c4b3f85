-- kpi_wall_clock_ms(p_day date, p_minutes integer, p_time_zone text) → bigint: the epoch milliseconds of the
-- wall-clock instant `p_minutes` after local midnight of `p_day` in the IANA zone. Mirrors the luxon rules of
-- expandShiftCalendar (packages/kpi/src/shift-calendar.ts): whole days by the calendar, then the time of day on the
-- wall clock; a skipped time moves forward by the gap, a repeated one resolves to its later instant, which is what
-- AT TIME ZONE does.
CREATE OR REPLACE FUNCTION "kpi_wall_clock_ms"(p_day date, p_minutes integer, p_time_zone text) RETURNS bigint
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN kpi_epoch_ms(((p_day + p_minutes / 1440)::timestamp + (p_minutes % 1440) * interval '1 minute')
                        AT TIME ZONE p_time_zone);
