-- CreateTable
CREATE TABLE "kpi_rollup_hour" (
    "machine_id" UUID NOT NULL,
    "hour_start" TIMESTAMPTZ(3) NOT NULL,
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

    CONSTRAINT "kpi_rollup_hour_pkey" PRIMARY KEY ("machine_id","hour_start")
);

-- CreateTable
CREATE TABLE "kpi_downtime_hour" (
    "id" BIGSERIAL NOT NULL,
    "machine_id" UUID NOT NULL,
    "hour_start" TIMESTAMPTZ(3) NOT NULL,
    "state" "MachineState" NOT NULL,
    "reason_id" UUID,
    "duration_ms" INTEGER NOT NULL,
    "event_count" INTEGER NOT NULL,

    CONSTRAINT "kpi_downtime_hour_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "kpi_rollup_coverage" (
    "machine_id" UUID NOT NULL,
    "from_hour" TIMESTAMPTZ(3) NOT NULL,
    "to_hour" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "kpi_rollup_coverage_pkey" PRIMARY KEY ("machine_id")
);

-- CreateIndex
CREATE INDEX "kpi_downtime_hour_machine_id_hour_start_idx" ON "kpi_downtime_hour"("machine_id", "hour_start");
