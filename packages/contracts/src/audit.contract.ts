// The audit log as the API answers it (docs/api.md): who changed what, before/after,
// when and in which request; newest first, filtered by entity, actor, action and time.
import { z } from 'zod';
import { ZInstant } from './instant.contract.ts';
import { listQuery, sequenceOrderCursor } from './list.contract.ts';

export const ZAuditQuery = listQuery(sequenceOrderCursor).extend({
  entityType: z.string().min(1).max(100).optional().meta({ description: 'e.g. `machine`.' }),
  entityId: z.string().min(1).max(200).optional(),
  actorId: z.uuid().optional().meta({ description: 'Only changes made by this user.' }),
  action: z.string().min(1).max(100).optional().meta({ description: 'e.g. `machine.updated`.' }),
  from: ZInstant.optional().meta({ description: 'Entries at or after this instant.' }),
  to: ZInstant.optional().meta({ description: 'Entries before this instant.' }),
});
export type TAuditQuery = z.infer<typeof ZAuditQuery>;

export const ZAuditEntry = z
  .object({
    id: z.string().meta({ description: 'Sequence number of the entry (a 64-bit integer as a string).' }),
    at: z.iso.datetime({ offset: true }),
    actorId: z.uuid().nullable(),
    actorLabel: z.string().meta({ description: 'A username, `ingest-token:<name>` or `system`.' }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
  })
  .meta({
    examples: [
      {
        id: '42',
        at: '2026-11-25T08:00:00.000Z',
        actorId: '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b',
        actorLabel: 'admin',
        action: 'machine.updated',
        entityType: 'machine',
        entityId: '9c1c2d3e-4b5a-4c6d-8e7f-901a2b3c4d5e',
        before: { name: 'Press 3' },
        after: { name: 'Press 3 (servo)' },
        requestId: 'c0ffee00-1234-4abc-9def-0123456789ab',
      },
    ],
  });
export type TAuditEntry = z.infer<typeof ZAuditEntry>;
