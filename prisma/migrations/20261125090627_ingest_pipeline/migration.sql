-- CreateTable
CREATE TABLE "ingest_timeline_event" (
    "id" BIGSERIAL NOT NULL,
    "machine_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "seq" BIGINT,
    "state" "MachineState",
    "reason_id" UUID,
    "source_code" TEXT,
    "has_product" BOOLEAN NOT NULL DEFAULT false,
    "product_id" UUID,
    "work_order_id" UUID,
    "counter_value" BIGINT,

    CONSTRAINT "ingest_timeline_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ingest_source_status" (
    "source_code" TEXT NOT NULL,
    "source_kind" "DataSourceKind" NOT NULL,
    "is_connected" BOOLEAN,
    "last_message_at" TIMESTAMPTZ(3),
    "messages_total" BIGINT NOT NULL DEFAULT 0,
    "messages_per_sec" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "duplicates" BIGINT NOT NULL DEFAULT 0,
    "dead_letters" BIGINT NOT NULL DEFAULT 0,
    "spool_depth" INTEGER NOT NULL DEFAULT 0,
    "lag_ms" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_source_status_pkey" PRIMARY KEY ("source_code")
);

-- CreateIndex
CREATE INDEX "ingest_timeline_event_machine_id_kind_ts_idx" ON "ingest_timeline_event"("machine_id", "kind", "ts");

-- CreateIndex
CREATE INDEX "ingest_timeline_event_ts_idx" ON "ingest_timeline_event"("ts");

-- Merge bucket rows that the earlier update-then-insert ingest could have split, so that the key can be created.
WITH dup AS (
    SELECT min("id") AS keep_id, array_agg("id") AS ids, sum("good_count") AS good, sum("reject_count") AS reject
    FROM "production_count"
    GROUP BY "machine_id", "bucket_start", "bucket_sec", "product_id", "work_order_id"
    HAVING count(*) > 1
), merged AS (
    UPDATE "production_count" p SET "good_count" = d.good, "reject_count" = d.reject
    FROM dup d WHERE p."id" = d.keep_id
    RETURNING p."id"
)
DELETE FROM "production_count" p USING dup d WHERE p."id" = ANY(d.ids) AND p."id" <> d.keep_id;

-- CreateIndex (hand-edited: NULLS NOT DISTINCT, PostgreSQL 15+, which Prisma cannot express; rows without
-- product or work order must be one bucket too, or the ingest's ON CONFLICT upsert would insert duplicates)
CREATE UNIQUE INDEX "production_count_bucket_key" ON "production_count"("machine_id", "bucket_start", "bucket_sec", "product_id", "work_order_id") NULLS NOT DISTINCT;
