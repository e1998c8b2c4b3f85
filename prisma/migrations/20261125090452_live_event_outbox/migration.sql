-- CreateTable
CREATE TABLE "live_event" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "site_id" UUID,
    "area_id" UUID,
    "line_id" UUID,
    "machine_id" UUID,
    "payload" JSONB NOT NULL,

    CONSTRAINT "live_event_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "live_event_at_idx" ON "live_event"("at");
