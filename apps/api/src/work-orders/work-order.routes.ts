// /work-orders: planning (list, read, create, edit, delete), the lifecycle transitions and their history,
// dispatch, and count adjustments and their list. Reads for VIEWER, writes for SUPERVISOR; every write honours
// If-Match and answers the order with its version as ETag.
import {
  listOf,
  ZUuidParams,
  ZWorkOrder,
  ZWorkOrderAdjustmentList,
  ZWorkOrderAdjustmentRequest,
  ZWorkOrderCreate,
  ZWorkOrderDispatchRequest,
  ZWorkOrderListQuery,
  ZWorkOrderTransitionList,
  ZWorkOrderTransitionRequest,
  ZWorkOrderUpdate,
  type TWorkOrderAction,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import {
  adjustWorkOrderCounts,
  createWorkOrder,
  deleteWorkOrder,
  dispatchWorkOrder,
  getWorkOrder,
  listWorkOrderAdjustments,
  listWorkOrders,
  listWorkOrderTransitions,
  transitionWorkOrder,
  updateWorkOrder,
} from './work-order.service.ts';

export type WorkOrderRoutesOptions = { prisma: PrismaClient };

const TAGS = ['work-orders'];

/** What each transition endpoint does, for the OpenAPI summary. */
const TRANSITION_SUMMARIES: Record<Exclude<TWorkOrderAction, 'dispatch'>, string> = {
  release: 'Release a DRAFT order for production (DRAFT → RELEASED).',
  start: 'Start a RELEASED order on its line (→ IN_PROGRESS); 409 while another order holds the line.',
  pause: 'Pause a running order (IN_PROGRESS → PAUSED); it keeps its line.',
  resume: 'Resume a paused order (PAUSED → IN_PROGRESS).',
  complete: 'Complete an order (IN_PROGRESS or PAUSED → COMPLETED); frees its line.',
  cancel: 'Cancel an open order (DRAFT, RELEASED, IN_PROGRESS or PAUSED → CANCELLED).',
};

const IF_MATCH_NOTE = 'Honours If-Match (412 when stale).';

export function workOrderRoutes(options: WorkOrderRoutesOptions): RouteDefinition[] {
  const { prisma } = options;
  const transitionRoute = (action: Exclude<TWorkOrderAction, 'dispatch'>) =>
    defineRoute({
      method: 'post',
      path: `/work-orders/:id/${action}`,
      access: 'SUPERVISOR',
      summary: `${TRANSITION_SUMMARIES[action]} ${IF_MATCH_NOTE}`,
      tags: TAGS,
      schemas: { params: ZUuidParams, body: ZWorkOrderTransitionRequest, response: ZWorkOrder },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        transitionWorkOrder({ prisma, change, id: params.id, action, note: body.note, expectedVersion }),
    });
  return [
    defineRoute({
      method: 'get',
      path: '/work-orders',
      access: 'VIEWER',
      summary:
        'List work orders, newest first, with progress figures; filter by status (comma-separated), line, product.',
      tags: TAGS,
      schemas: { query: ZWorkOrderListQuery, response: listOf(ZWorkOrder) },
      handler: ({ query }) => listWorkOrders({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/work-orders',
      access: 'SUPERVISOR',
      summary: 'Create a DRAFT work order (409 when the number is in use).',
      tags: TAGS,
      schemas: { body: ZWorkOrderCreate, response: ZWorkOrder },
      successStatus: 201,
      etag: 'version',
      handler: ({ body, change }) => createWorkOrder({ prisma, change, body }),
    }),
    defineRoute({
      method: 'get',
      path: '/work-orders/:id',
      access: 'VIEWER',
      summary: 'One work order with counts, progress, run rate and projected finish; its version as ETag.',
      tags: TAGS,
      schemas: { params: ZUuidParams, response: ZWorkOrder },
      etag: 'version',
      handler: ({ params }) => getWorkOrder({ prisma, id: params.id }),
    }),
    defineRoute({
      method: 'get',
      path: '/work-orders/:id/transitions',
      access: 'VIEWER',
      summary: 'The status history of a work order (creation, transitions, dispatch), oldest first.',
      tags: TAGS,
      schemas: { params: ZUuidParams, response: ZWorkOrderTransitionList },
      handler: ({ params }) => listWorkOrderTransitions({ prisma, id: params.id }),
    }),
    defineRoute({
      method: 'get',
      path: '/work-orders/:id/adjustments',
      access: 'VIEWER',
      summary: 'The manual count adjustments of a work order (deltas, reason, who, when), oldest first.',
      tags: TAGS,
      schemas: { params: ZUuidParams, response: ZWorkOrderAdjustmentList },
      handler: ({ params }) => listWorkOrderAdjustments({ prisma, id: params.id }),
    }),
    defineRoute({
      method: 'patch',
      path: '/work-orders/:id',
      access: 'SUPERVISOR',
      summary: `Change number, product, target or due date while DRAFT or RELEASED. ${IF_MATCH_NOTE}`,
      tags: TAGS,
      schemas: { params: ZUuidParams, body: ZWorkOrderUpdate, response: ZWorkOrder },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        updateWorkOrder({ prisma, change, id: params.id, body, expectedVersion }),
    }),
    defineRoute({
      method: 'delete',
      path: '/work-orders/:id',
      access: 'SUPERVISOR',
      summary: `Delete a DRAFT work order (409 later: cancel instead). ${IF_MATCH_NOTE}`,
      tags: TAGS,
      schemas: { params: ZUuidParams },
      successStatus: 204,
      precondition: 'if-match',
      async handler({ params, change, expectedVersion }) {
        await deleteWorkOrder({ prisma, change, id: params.id, expectedVersion });
        return undefined;
      },
    }),
    transitionRoute('release'),
    defineRoute({
      method: 'post',
      path: '/work-orders/:id/dispatch',
      access: 'SUPERVISOR',
      summary: `Assign a RELEASED order to a line (again to change the line until it starts). ${IF_MATCH_NOTE}`,
      tags: TAGS,
      schemas: { params: ZUuidParams, body: ZWorkOrderDispatchRequest, response: ZWorkOrder },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        dispatchWorkOrder({ prisma, change, id: params.id, lineId: body.lineId, note: body.note, expectedVersion }),
    }),
    transitionRoute('start'),
    transitionRoute('pause'),
    transitionRoute('resume'),
    transitionRoute('complete'),
    transitionRoute('cancel'),
    defineRoute({
      method: 'post',
      path: '/work-orders/:id/adjustments',
      access: 'SUPERVISOR',
      summary: `Correct the good/scrap counts by hand (signed deltas, with a reason; audited). ${IF_MATCH_NOTE}`,
      tags: TAGS,
      schemas: { params: ZUuidParams, body: ZWorkOrderAdjustmentRequest, response: ZWorkOrder },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        adjustWorkOrderCounts({ prisma, change, id: params.id, body, expectedVersion }),
    }),
  ];
}
