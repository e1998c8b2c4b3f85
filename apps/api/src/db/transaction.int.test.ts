// The one transaction helper against a real PostgreSQL: each refusal a request can cause becomes its problem answer
// (or the caller's own), everything else passes through untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@takt/db/testing';
import { AppError } from '../http/app-error.ts';
import { buildPlant, type BuiltPlant } from '../test/plant-fixture.ts';
import { inTransaction } from './transaction.ts';

let db: TestDatabase;
let plant: BuiltPlant;
const GONE = '0b9d6c52-8f5e-4d7b-9a36-2f1c3e4d5a6b';

beforeAll(async () => {
  db = await createTestDatabase('transaction');
  plant = await buildPlant(db.prisma, { lines: [{ code: 'l1', machines: [{ code: 'press' }] }] });
});
afterAll(() => db.drop());

async function failure(work: Parameters<typeof inTransaction>[1], options?: Parameters<typeof inTransaction>[2]) {
  return inTransaction(db.prisma, work, options).then(
    () => expect.unreachable('the transaction committed'),
    (error: unknown) => error,
  );
}

describe('inTransaction', () => {
  it('commits the unit of work and returns its result', async () => {
    const product = await inTransaction(db.prisma, (tx) => tx.product.create({ data: { code: 'ok', name: 'OK' } }));
    expect(await db.prisma.product.count({ where: { id: product.id } })).toBe(1);
  });

  it('answers a unique violation 409, naming the constraint', async () => {
    const error = await failure((tx) =>
      tx.site.create({ data: { enterpriseId: plant.enterpriseId, code: 'p1', name: 'x', timeZone: 'UTC' } }),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      status: 409,
      title: 'Already in use',
      message: expect.stringContaining('site_code_key'),
    });
  });

  it('answers a delete of a referenced row 409 naming what references it', async () => {
    const error = await failure((tx) => tx.line.delete({ where: { id: plant.lineIds.l1 } }));
    expect(error).toMatchObject({
      status: 409,
      title: 'Still referenced',
      message: expect.stringContaining('machine'),
    });
  });

  it('answers a reference to a row that is gone 409', async () => {
    const error = await failure((tx) => tx.machine.create({ data: { lineId: GONE, code: 'x', path: 'x', name: 'x' } }));
    expect(error).toMatchObject({ status: 409, title: 'Reference gone' });
  });

  it('answers a write of a row that is gone 404', async () => {
    const error = await failure((tx) => tx.site.update({ where: { id: GONE }, data: { name: 'x' } }));
    expect(error).toMatchObject({ status: 404 });
  });

  it('answers a serialization failure or deadlock 409 (send again)', async () => {
    for (const sqlState of ['40001', '40P01']) {
      const error = await failure((tx) =>
        tx.$executeRawUnsafe(`DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '${sqlState}'; END $$`),
      );
      expect(error).toMatchObject({ status: 409, title: 'Concurrent change' });
    }
  });

  it("gives the caller's own answer first, and rolls the whole unit back", async () => {
    const mine = new AppError('CONFLICT', 'Code already used', { detail: 'mine' });
    const error = await failure(
      async (tx) => {
        await tx.product.create({ data: { code: 'rolled-back', name: 'x' } });
        await tx.product.create({ data: { code: 'ok', name: 'dup' } });
      },
      { onConflict: (conflict) => (conflict.kind === 'unique' ? mine : undefined) },
    );
    expect(error).toBe(mine);
    expect(await db.prisma.product.count({ where: { code: 'rolled-back' } })).toBe(0);
  });

  it('passes AppErrors and unexpected errors through untouched', async () => {
    const thrown = new AppError('BAD_REQUEST', 'Nope');
    expect(await failure(() => Promise.reject(thrown))).toBe(thrown);
    const bug = new TypeError('bug');
    expect(await failure(() => Promise.reject(bug))).toBe(bug);
  });
});
