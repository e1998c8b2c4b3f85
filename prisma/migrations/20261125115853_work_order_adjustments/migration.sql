-- CreateTable
CREATE TABLE "work_order_adjustment" (
    "id" BIGSERIAL NOT NULL,
    "work_order_id" UUID NOT NULL,
    "good_delta" INTEGER NOT NULL,
    "scrap_delta" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actor_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "work_order_adjustment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "work_order_adjustment_work_order_id_at_idx" ON "work_order_adjustment"("work_order_id", "at");

-- AddForeignKey
ALTER TABLE "work_order_adjustment" ADD CONSTRAINT "work_order_adjustment_work_order_id_fkey" FOREIGN KEY ("work_order_id") REFERENCES "work_order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "work_order_adjustment" ADD CONSTRAINT "work_order_adjustment_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Hand-written (Prisma's schema language cannot express these) --------------------------------

-- An adjustment changes something.
ALTER TABLE "work_order_adjustment"
    ADD CONSTRAINT "work_order_adjustment_non_zero" CHECK ("good_delta" <> 0 OR "scrap_delta" <> 0);

-- Until now the ledger of adjustments was the orders' `work-order.adjusted` audit entries: carry them over, so
-- that the totals of existing orders stay what they were (the audit entries stay as the record of the change).
INSERT INTO "work_order_adjustment" ("work_order_id", "good_delta", "scrap_delta", "reason", "actor_id", "at")
SELECT w."id",
       COALESCE((a."after" ->> 'goodDelta')::int, 0),
       COALESCE((a."after" ->> 'scrapDelta')::int, 0),
       COALESCE(a."after" ->> 'reason', ''),
       a."actor_id",
       a."at"
  FROM "audit_log" a
  JOIN "work_order" w ON w."id"::text = a."entity_id"
 WHERE a."entity_type" = 'work-order' AND a."action" = 'work-order.adjusted'
   AND (COALESCE((a."after" ->> 'goodDelta')::int, 0) <> 0 OR COALESCE((a."after" ->> 'scrapDelta')::int, 0) <> 0)
 ORDER BY a."id";

-- A line runs at most one order at a time (DESIGN.md "Work orders"). The API serialises starts with a lock on the
-- line row and checks first; this index is the backstop that no other writer can get past.
CREATE UNIQUE INDEX "work_order_one_running_per_line"
    ON "work_order"("line_id") WHERE "status" IN ('IN_PROGRESS', 'PAUSED');
