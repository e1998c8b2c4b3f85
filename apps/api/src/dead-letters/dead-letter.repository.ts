// Data access of the dead-letter list: the only dead-letters module that touches Prisma.
import type { TDataSourceKind } from '@takt/contracts';
import type { PrismaClient } from '@takt/db';

export type DeadLetterRow = {
  id: bigint;
  receivedAt: Date;
  dataSourceId: string | null;
  sourceKind: TDataSourceKind;
  address: string;
  payload: string;
  payloadTruncated: boolean;
  reason: string;
};

/** Newest first; `beforeId` is the cursor (id of the last row of the previous page). */
export async function listDeadLetterRows(
  prisma: PrismaClient,
  filter: {
    sourceKind?: TDataSourceKind;
    dataSourceCode?: string;
    from?: Date;
    beforeId?: bigint;
    take: number;
  },
): Promise<DeadLetterRow[]> {
  return prisma.deadLetter.findMany({
    where: {
      ...(filter.sourceKind === undefined ? {} : { sourceKind: filter.sourceKind }),
      ...(filter.dataSourceCode === undefined ? {} : { dataSource: { code: filter.dataSourceCode } }),
      ...(filter.from === undefined ? {} : { receivedAt: { gte: filter.from } }),
      ...(filter.beforeId === undefined ? {} : { id: { lt: filter.beforeId } }),
    },
    orderBy: { id: 'desc' },
    take: filter.take,
  });
}
