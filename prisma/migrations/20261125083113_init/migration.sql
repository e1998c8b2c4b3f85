-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DowntimeKind" AS ENUM ('PLANNED', 'UNPLANNED');

-- CreateEnum
CREATE TYPE "MachineState" AS ENUM ('PRODUCING', 'IDLE', 'DOWN', 'CHANGEOVER', 'PLANNED_STOP', 'NO_ORDER', 'OFFLINE');

-- CreateEnum
CREATE TYPE "WorkOrderStatus" AS ENUM ('DRAFT', 'RELEASED', 'IN_PROGRESS', 'PAUSED', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('VIEWER', 'SUPERVISOR', 'ADMIN');

-- CreateEnum
CREATE TYPE "DataSourceKind" AS ENUM ('MQTT_SPARKPLUG', 'MQTT_JSON', 'OPCUA', 'HTTP');

-- CreateEnum
CREATE TYPE "SignalKind" AS ENUM ('STATE', 'GOOD_COUNT', 'REJECT_COUNT', 'TOTAL_COUNT', 'PRODUCT', 'WORK_ORDER', 'HEARTBEAT');

-- CreateTable
CREATE TABLE "enterprise" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "enterprise_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "site" (
    "id" UUID NOT NULL,
    "enterprise_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "site_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "area" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "area_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "line" (
    "id" UUID NOT NULL,
    "area_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "shift_pattern_id" UUID,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "line_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "machine" (
    "id" UUID NOT NULL,
    "line_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL DEFAULT 0,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "machine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ideal_cycle_time" (
    "id" UUID NOT NULL,
    "product_id" UUID NOT NULL,
    "line_id" UUID,
    "machine_id" UUID,
    "ideal_cycle_time_sec" DOUBLE PRECISION NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ideal_cycle_time_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shift_pattern" (
    "id" UUID NOT NULL,
    "site_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "shift_pattern_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shift" (
    "id" UUID NOT NULL,
    "pattern_id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "start_minute" INTEGER NOT NULL,
    "duration_min" INTEGER NOT NULL,
    "weekdays" INTEGER[],

    CONSTRAINT "shift_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shift_break" (
    "id" UUID NOT NULL,
    "shift_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "offset_min" INTEGER NOT NULL,
    "duration_min" INTEGER NOT NULL,

    CONSTRAINT "shift_break_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "planned_downtime" (
    "id" UUID NOT NULL,
    "line_id" UUID,
    "machine_id" UUID,
    "reason_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "planned_downtime_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "downtime_reason" (
    "id" UUID NOT NULL,
    "parent_id" UUID,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DowntimeKind" NOT NULL,
    "archived_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "downtime_reason_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "machine_state_interval" (
    "id" BIGSERIAL NOT NULL,
    "machine_id" UUID NOT NULL,
    "state" "MachineState" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "reason_id" UUID,
    "product_id" UUID,
    "work_order_id" UUID,
    "source_code" TEXT,
    "classified_by_id" UUID,
    "classified_at" TIMESTAMPTZ(3),

    CONSTRAINT "machine_state_interval_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "production_count" (
    "id" BIGSERIAL NOT NULL,
    "machine_id" UUID NOT NULL,
    "bucket_start" TIMESTAMPTZ(3) NOT NULL,
    "bucket_sec" INTEGER NOT NULL DEFAULT 60,
    "product_id" UUID,
    "work_order_id" UUID,
    "good_count" INTEGER NOT NULL DEFAULT 0,
    "reject_count" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "production_count_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order" (
    "id" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "product_id" UUID NOT NULL,
    "line_id" UUID,
    "status" "WorkOrderStatus" NOT NULL DEFAULT 'DRAFT',
    "target_quantity" INTEGER NOT NULL,
    "good_count" INTEGER NOT NULL DEFAULT 0,
    "scrap_count" INTEGER NOT NULL DEFAULT 0,
    "due_at" TIMESTAMPTZ(3),
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "work_order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "work_order_transition" (
    "id" BIGSERIAL NOT NULL,
    "work_order_id" UUID NOT NULL,
    "from_status" "WorkOrderStatus",
    "to_status" "WorkOrderStatus" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "note" TEXT,

    CONSTRAINT "work_order_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "app_user" (
    "id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "disabled_at" TIMESTAMPTZ(3),
    "password_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ip" TEXT,
    "user_agent" TEXT,

    CONSTRAINT "session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_token" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "ingest_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entity_type" TEXT NOT NULL,
    "entity_id" TEXT,
    "before" JSONB,
    "after" JSONB,
    "request_id" TEXT,

    CONSTRAINT "audit_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "data_source" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "DataSourceKind" NOT NULL,
    "config" JSONB NOT NULL,
    "is_enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "data_source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signal_mapping" (
    "id" UUID NOT NULL,
    "data_source_id" UUID NOT NULL,
    "machine_id" UUID NOT NULL,
    "signal" "SignalKind" NOT NULL,
    "address" TEXT NOT NULL,
    "value_map" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "signal_mapping_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "counter_state" (
    "machine_id" UUID NOT NULL,
    "signal" "SignalKind" NOT NULL,
    "last_value" BIGINT NOT NULL,
    "last_ts" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "counter_state_pkey" PRIMARY KEY ("machine_id","signal")
);

-- CreateTable
CREATE TABLE "dead_letter" (
    "id" BIGSERIAL NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data_source_id" UUID,
    "source_kind" "DataSourceKind" NOT NULL,
    "address" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "payload_truncated" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_event_key" (
    "event_key" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_event_key_pkey" PRIMARY KEY ("event_key")
);

-- CreateIndex
CREATE UNIQUE INDEX "enterprise_code_key" ON "enterprise"("code");

-- CreateIndex
CREATE UNIQUE INDEX "site_code_key" ON "site"("code");

-- CreateIndex
CREATE UNIQUE INDEX "area_site_id_code_key" ON "area"("site_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "line_area_id_code_key" ON "line"("area_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "machine_path_key" ON "machine"("path");

-- CreateIndex
CREATE UNIQUE INDEX "machine_line_id_code_key" ON "machine"("line_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "product_code_key" ON "product"("code");

-- CreateIndex
CREATE UNIQUE INDEX "ideal_cycle_time_product_id_line_id_key" ON "ideal_cycle_time"("product_id", "line_id");

-- CreateIndex
CREATE UNIQUE INDEX "ideal_cycle_time_product_id_machine_id_key" ON "ideal_cycle_time"("product_id", "machine_id");

-- CreateIndex
CREATE UNIQUE INDEX "shift_pattern_site_id_code_key" ON "shift_pattern"("site_id", "code");

-- CreateIndex
CREATE UNIQUE INDEX "shift_pattern_id_code_key" ON "shift"("pattern_id", "code");

-- CreateIndex
CREATE INDEX "planned_downtime_line_id_starts_at_idx" ON "planned_downtime"("line_id", "starts_at");

-- CreateIndex
CREATE INDEX "planned_downtime_machine_id_starts_at_idx" ON "planned_downtime"("machine_id", "starts_at");

-- CreateIndex
CREATE UNIQUE INDEX "downtime_reason_code_key" ON "downtime_reason"("code");

-- CreateIndex
CREATE INDEX "machine_state_interval_machine_id_ended_at_idx" ON "machine_state_interval"("machine_id", "ended_at");

-- CreateIndex
CREATE INDEX "machine_state_interval_started_at_idx" ON "machine_state_interval"("started_at");

-- CreateIndex
CREATE UNIQUE INDEX "machine_state_interval_machine_id_started_at_key" ON "machine_state_interval"("machine_id", "started_at");

-- CreateIndex
CREATE INDEX "production_count_machine_id_bucket_start_idx" ON "production_count"("machine_id", "bucket_start");

-- CreateIndex
CREATE INDEX "production_count_bucket_start_idx" ON "production_count"("bucket_start");

-- CreateIndex
CREATE INDEX "production_count_work_order_id_idx" ON "production_count"("work_order_id");

-- CreateIndex
CREATE UNIQUE INDEX "work_order_number_key" ON "work_order"("number");

-- CreateIndex
CREATE INDEX "work_order_line_id_status_idx" ON "work_order"("line_id", "status");

-- CreateIndex
CREATE INDEX "work_order_status_idx" ON "work_order"("status");

-- CreateIndex
CREATE INDEX "work_order_transition_work_order_id_at_idx" ON "work_order_transition"("work_order_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "app_user_username_key" ON "app_user"("username");

-- CreateIndex
CREATE UNIQUE INDEX "session_token_hash_key" ON "session"("token_hash");

-- CreateIndex
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "ingest_token_token_hash_key" ON "ingest_token"("token_hash");

-- CreateIndex
CREATE INDEX "audit_log_at_idx" ON "audit_log"("at");

-- CreateIndex
CREATE INDEX "audit_log_entity_type_entity_id_idx" ON "audit_log"("entity_type", "entity_id");

-- CreateIndex
CREATE INDEX "audit_log_actor_id_at_idx" ON "audit_log"("actor_id", "at");

-- CreateIndex
CREATE UNIQUE INDEX "data_source_code_key" ON "data_source"("code");

-- CreateIndex
CREATE INDEX "signal_mapping_machine_id_idx" ON "signal_mapping"("machine_id");

-- CreateIndex
CREATE UNIQUE INDEX "signal_mapping_data_source_id_address_key" ON "signal_mapping"("data_source_id", "address");

-- CreateIndex
CREATE INDEX "dead_letter_received_at_idx" ON "dead_letter"("received_at");

-- CreateIndex
CREATE INDEX "dead_letter_data_source_id_received_at_idx" ON "dead_letter"("data_source_id", "received_at");

-- CreateIndex
CREATE INDEX "ingest_event_key_received_at_idx" ON "ingest_event_key"("received_at");

-- AddForeignKey
ALTER TABLE "site" ADD CONSTRAINT "site_enterprise_id_fkey" FOREIGN KEY ("enterprise_id") REFERENCES "enterprise"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "area" ADD CONSTRAINT "area_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "line" ADD CONSTRAINT "line_area_id_fkey" FOREIGN KEY ("area_id") REFERENCES "area"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "line" ADD CONSTRAINT "line_shift_pattern_id_fkey" FOREIGN KEY ("shift_pattern_id") REFERENCES "shift_pattern"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine" ADD CONSTRAINT "machine_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "line"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ideal_cycle_time" ADD CONSTRAINT "ideal_cycle_time_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ideal_cycle_time" ADD CONSTRAINT "ideal_cycle_time_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "line"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ideal_cycle_time" ADD CONSTRAINT "ideal_cycle_time_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_pattern" ADD CONSTRAINT "shift_pattern_site_id_fkey" FOREIGN KEY ("site_id") REFERENCES "site"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift" ADD CONSTRAINT "shift_pattern_id_fkey" FOREIGN KEY ("pattern_id") REFERENCES "shift_pattern"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shift_break" ADD CONSTRAINT "shift_break_shift_id_fkey" FOREIGN KEY ("shift_id") REFERENCES "shift"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "planned_downtime" ADD CONSTRAINT "planned_downtime_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "line"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "planned_downtime" ADD CONSTRAINT "planned_downtime_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machine"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "planned_downtime" ADD CONSTRAINT "planned_downtime_reason_id_fkey" FOREIGN KEY ("reason_id") REFERENCES "downtime_reason"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "downtime_reason" ADD CONSTRAINT "downtime_reason_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "downtime_reason"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine_state_interval" ADD CONSTRAINT "machine_state_interval_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine_state_interval" ADD CONSTRAINT "machine_state_interval_reason_id_fkey" FOREIGN KEY ("reason_id") REFERENCES "downtime_reason"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine_state_interval" ADD CONSTRAINT "machine_state_interval_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine_state_interval" ADD CONSTRAINT "machine_state_interval_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "machine_state_interval" ADD CONSTRAINT "machine_state_interval_classified_by_id_fkey" FOREIGN KEY ("classified_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "production_count" ADD CONSTRAINT "production_count_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "production_count" ADD CONSTRAINT "production_count_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "production_count" ADD CONSTRAINT "production_count_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_product_id_fkey" FOREIGN KEY ("product_id") REFERENCES "product"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order" ADD CONSTRAINT "work_order_line_id_fkey" FOREIGN KEY ("line_id") REFERENCES "line"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order_transition" ADD CONSTRAINT "work_order_transition_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order_transition" ADD CONSTRAINT "work_order_transition_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session" ADD CONSTRAINT "session_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ingest_token" ADD CONSTRAINT "ingest_token_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signal_mapping" ADD CONSTRAINT "signal_mapping_data_source_id_fkey" FOREIGN KEY ("data_source_id") REFERENCES "data_source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "signal_mapping" ADD CONSTRAINT "signal_mapping_machine_id_fkey" FOREIGN KEY ("machine_id") REFERENCES "machine"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "dead_letter" ADD CONSTRAINT "dead_letter_data_source_id_fkey" FOREIGN KEY ("data_source_id") REFERENCES "data_source"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language cannot express these) --------------------------------

-- At most one open (current) state interval per machine.
CREATE UNIQUE INDEX "machine_state_interval_one_open_per_machine"
    ON "machine_state_interval"("machine_id") WHERE "ended_at" IS NULL;

-- Intervals are half-open [started_at, ended_at) and never run backwards.
ALTER TABLE "machine_state_interval"
    ADD CONSTRAINT "machine_state_interval_forward" CHECK ("ended_at" IS NULL OR "ended_at" > "started_at");
ALTER TABLE "planned_downtime"
    ADD CONSTRAINT "planned_downtime_forward" CHECK ("ends_at" > "starts_at");
ALTER TABLE "production_count"
    ADD CONSTRAINT "production_count_non_negative" CHECK ("good_count" >= 0 AND "reject_count" >= 0 AND "bucket_sec" > 0);
ALTER TABLE "ideal_cycle_time"
    ADD CONSTRAINT "ideal_cycle_time_positive" CHECK ("ideal_cycle_time_sec" > 0),
    ADD CONSTRAINT "ideal_cycle_time_one_scope" CHECK (("line_id" IS NULL) <> ("machine_id" IS NULL));
ALTER TABLE "shift"
    ADD CONSTRAINT "shift_bounds" CHECK ("start_minute" >= 0 AND "start_minute" < 1440 AND "duration_min" > 0 AND "duration_min" <= 1440);
ALTER TABLE "shift_break"
    ADD CONSTRAINT "shift_break_bounds" CHECK ("offset_min" >= 0 AND "duration_min" > 0);
ALTER TABLE "work_order"
    ADD CONSTRAINT "work_order_quantities" CHECK ("target_quantity" > 0 AND "good_count" >= 0 AND "scrap_count" >= 0);

-- The audit log is append-only.
CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER "audit_log_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "audit_log"
    FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
