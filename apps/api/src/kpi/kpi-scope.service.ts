// The question every KPI endpoint starts with: which scope (404 when unknown), which machines, and which range
// is evaluated. Figures stop at the present ("so far"), and an archived machine stops counting when archived.
import type { TKpiScope, TKpiScopeKind } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
import type { TShiftDefinition } from '@takt/kpi';
import { findScope, findScopeShiftPatterns, listScopeMachines, type TScopeMachine } from './kpi.repository.ts';

export type TKpiScopeQuery = { scope: TKpiScopeKind; id: string; from: string; to: string };

export type TResolvedScope = {
  scope: TKpiScope;
  fromMs: number;
  toMs: number;
  /** min(to, now), never before `from`. */
  evaluatedToMs: number;
  machines: TScopeMachine[];
  /** Shift definitions by pattern id; null unless asked for. */
  shiftPatterns: Map<string, TShiftDefinition[]> | null;
};

export type TResolveScopeOptions = {
  prisma: PrismaClient;
  query: TKpiScopeQuery;
  nowMs: number;
  /** Also load the shift patterns of the scope's lines (for shift buckets). */
  isWithShiftPatterns?: boolean;
};

/** The scope, its machines and the evaluated range; throws NOT_FOUND for an unknown scope id. */
export async function resolveScope(options: TResolveScopeOptions): Promise<TResolvedScope> {
  const { prisma, query } = options;
  const fromMs = Date.parse(query.from);
  const toMs = Date.parse(query.to);
  // In parallel: each is one round trip, and for small scopes round trips are most of the time.
  const [scope, machines, shiftPatterns] = await Promise.all([
    findScope(prisma, query.scope, query.id),
    listScopeMachines(prisma, query.scope, query.id, fromMs),
    options.isWithShiftPatterns === true ? findScopeShiftPatterns(prisma, query.scope, query.id) : null,
  ]);
  if (scope === null) {
    throw new AppError('NOT_FOUND', 'Scope not found', { detail: `No ${query.scope} with id ${query.id}.` });
  }
  const evaluatedToMs = Math.max(fromMs, Math.min(toMs, options.nowMs));
  return { scope, fromMs, toMs, evaluatedToMs, machines, shiftPatterns };
}

/** Where a machine stops counting within the evaluated range. */
export function machineEndMs(machine: TScopeMachine, resolved: TResolvedScope): number {
  return Math.max(resolved.fromMs, Math.min(resolved.evaluatedToMs, machine.archivedAtMs ?? Infinity));
}

export const iso = (ms: number): string => new Date(ms).toISOString();
