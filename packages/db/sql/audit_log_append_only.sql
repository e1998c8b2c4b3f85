-- audit_log_append_only(): trigger function of "audit_log_no_update_or_delete" (BEFORE UPDATE OR DELETE ON
-- "audit_log", created in migration 20261125083113_init): rejects every change, so that the audit log is append-only.
-- No TypeScript mirror: recordAudit in apps/api/src/audit/audit.service.ts only ever inserts.
CREATE OR REPLACE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
