// /config/*.csv and /config/*/import: the plant configuration (machines, products, downtime reasons) as
// RFC 4180 CSV. Imports take a `text/csv` body, read here rather than by the JSON route machinery.
import express, { type Request, type Response } from 'express';
import {
  CONFIG_CSV_COLUMNS,
  ZConfigImportQuery,
  ZConfigImportReport,
  type TConfigCsvEntity,
  type TConfigImportReport,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { AppError } from '../http/app-error.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import type { Db } from './config-csv.repository.ts';
import { runConfigImport, type TCsvRow, type TImportPlan } from './csv-import.ts';
import { exportMachinesCsv, planMachinesImport } from './machines-csv.service.ts';
import { exportProductsCsv, planProductsImport } from './products-csv.service.ts';
import { exportReasonsCsv, planReasonsImport } from './reasons-csv.service.ts';

const MAX_CSV_BYTES = '5mb';
const csvBodyParser = express.text({ type: 'text/csv', limit: MAX_CSV_BYTES });

/** The request's text/csv body; parsed only here, after the route has authorised the caller. */
async function readCsvBody(req: Request, res: Response): Promise<string> {
  if (req.is('text/csv') !== 'text/csv') {
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Unsupported media type', {
      detail: 'Send the file as the request body with Content-Type: text/csv (UTF-8).',
    });
  }
  await new Promise<void>((resolve, reject) => {
    csvBodyParser(req, res, (error?: unknown) => (error === undefined ? resolve() : reject(error)));
  });
  return typeof req.body === 'string' ? req.body : '';
}

function sendCsv(res: Response, entity: TConfigCsvEntity, csv: string): undefined {
  res.type('text/csv; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${entity}.csv"`);
  res.status(200).send(csv);
  return undefined;
}

type EntityCsv = {
  export(db: Db): Promise<string>;
  plan(db: Db, rows: TCsvRow<string>[]): Promise<TImportPlan>;
  summary: string;
};

const ENTITIES: Record<TConfigCsvEntity, EntityCsv> = {
  machines: {
    export: exportMachinesCsv,
    plan: planMachinesImport as EntityCsv['plan'],
    summary: 'machines (`path,name,sequence`; the path’s site/area/line must exist)',
  },
  products: {
    export: exportProductsCsv,
    plan: planProductsImport as EntityCsv['plan'],
    summary:
      'products (`code,name,ideal_cycle_times`; cycle times as `line:<site/area/line>=<sec>;machine:<path>=<sec>`)',
  },
  reasons: {
    export: exportReasonsCsv,
    plan: planReasonsImport as EntityCsv['plan'],
    summary: 'downtime reasons (`code,name,kind,parent_code`; empty parent_code: a category)',
  },
};

export function configCsvRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['config'];
  return (Object.keys(ENTITIES) as TConfigCsvEntity[]).flatMap((entity) => {
    const csv = ENTITIES[entity];
    return [
      defineRoute({
        method: 'get',
        path: `/config/${entity}.csv`,
        access: 'VIEWER',
        summary:
          `Export the ${csv.summary} as text/csv. A cell a spreadsheet would run as a formula (first character ` +
          "=, +, -, @, tab or CR) gets a leading ' that import removes.",
        tags,
        schemas: {},
        media: { response: 'text/csv' },
        async handler({ res }) {
          return sendCsv(res, entity, await csv.export(prisma));
        },
      }),
      defineRoute({
        method: 'post',
        path: `/config/${entity}/import`,
        access: 'ADMIN',
        summary:
          `Import ${csv.summary} from a text/csv body. Reports every bad row with its line; writes nothing ` +
          'unless every row is valid (one transaction). dryRun (default true) only validates.',
        tags,
        schemas: { query: ZConfigImportQuery, response: ZConfigImportReport },
        media: { requestBody: 'text/csv' },
        async handler({ query, change, req, res }): Promise<TConfigImportReport> {
          const text = await readCsvBody(req, res);
          return runConfigImport({
            prisma,
            change,
            entity,
            columns: CONFIG_CSV_COLUMNS[entity] as readonly string[],
            csv: text,
            isDryRun: query.dryRun,
            plan: csv.plan,
          });
        },
      }),
    ];
  });
}
