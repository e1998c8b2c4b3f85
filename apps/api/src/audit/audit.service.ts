// The audit log (DESIGN.md "HTTP API conventions"): every change is recorded with who, what,
// before/after, when and the request id, in the same transaction as the change itself.
import type { Response } from 'express';
import type { Prisma } from '@takt/db';
import type { AuthContext } from '../auth/auth-context.ts';

/** Who acted: a signed-in user, an ingest token, or the system itself. */
export type AuditActor =
  | { kind: 'user'; userId: string; username: string }
  | { kind: 'ingest-token'; tokenId: string; name: string }
  | { kind: 'system' };

export function userActor(auth: AuthContext): AuditActor {
  return { kind: 'user', userId: auth.user.id, username: auth.user.username };
}

/** Who made a change through this request, and its request id: the audit fields of a mutating service. */
export function changeBy(auth: AuthContext, res: Response): { actor: AuditActor; requestId: string | null } {
  return { actor: userActor(auth), requestId: res.locals.requestId };
}

export type AuditEntry = {
  actor: AuditActor;
  /** Verb in the past tense, dotted by entity: `machine.created`, `work-order.released`. */
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Prisma.InputJsonValue | null;
  after?: Prisma.InputJsonValue | null;
  requestId: string | null;
};

function actorColumns(actor: AuditActor): { actorId: string | null; actorLabel: string } {
  switch (actor.kind) {
    case 'user':
      return { actorId: actor.userId, actorLabel: actor.username };
    case 'ingest-token':
      return { actorId: null, actorLabel: `ingest-token:${actor.name}` };
    case 'system':
      return { actorId: null, actorLabel: 'system' };
  }
}

function auditRow(entry: AuditEntry) {
  return {
    ...actorColumns(entry.actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: entry.before ?? undefined,
    after: entry.after ?? undefined,
    requestId: entry.requestId,
  };
}

/** Appends one entry; pass the transaction client of the change so both commit or neither does. */
export async function recordAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({ data: auditRow(entry) });
}

/** Appends several entries in one statement (a bulk change audits each entity it changed). */
export async function recordAudits(tx: Prisma.TransactionClient, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length > 0) await tx.auditLog.createMany({ data: entries.map(auditRow) });
}
