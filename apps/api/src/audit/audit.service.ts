// The audit log (docs/api.md): every change is recorded with who, what,
// before/after, when and the request id, in the same transaction as the change itself.
import type { Prisma } from '@takt/db';
import type { AuthContext } from '../auth/auth-context.ts';
import { insertAuditRows } from './audit-log.repository.ts';

/** A signed-in user who changes something. */
export type UserActor = { kind: 'user'; userId: string; username: string };

/** Who acted: a signed-in user, an ingest token, or the system itself. */
export type AuditActor = UserActor | { kind: 'ingest-token'; tokenId: string; name: string } | { kind: 'system' };

/** Who makes a change and in which request: what every service that writes receives and audits. */
export type ChangeContext = { actor: UserActor; requestId: string };

export function userActor(auth: AuthContext): UserActor {
  return { kind: 'user', userId: auth.user.id, username: auth.user.username };
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
  await insertAuditRows(tx, [auditRow(entry)]);
}

/** Appends several entries in one statement (a bulk change audits each entity it changed). */
export async function recordAudits(tx: Prisma.TransactionClient, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length > 0) await insertAuditRows(tx, entries.map(auditRow));
}

/** What a change writes to the log: the entry without who and which request, which `change` gives. */
export type ChangeAudit = Omit<AuditEntry, 'actor' | 'requestId'>;

/** Appends the entry of a change made through `change` (its actor and request id). */
export async function auditChange(
  tx: Prisma.TransactionClient,
  change: ChangeContext,
  entry: ChangeAudit,
): Promise<void> {
  await recordAudit(tx, { ...entry, actor: change.actor, requestId: change.requestId });
}
