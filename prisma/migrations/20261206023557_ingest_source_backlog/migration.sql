-- AlterTable
ALTER TABLE "ingest_source_status" ADD COLUMN     "pending_events" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "unacked_messages" INTEGER NOT NULL DEFAULT 0;
