// /users: user administration (ADMIN). Single-user answers carry an ETag; writes honour If-Match.
import {
  ZCreateUserRequest,
  ZResetPasswordRequest,
  ZUpdateUserRequest,
  ZUserAccount,
  ZUserAccountList,
  ZUserListQuery,
  ZUuidParams,
} from '@takt/contracts';
import type { PrismaClient } from '@takt/db';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { ifMatchVersion, setEtag, withVersionEtag } from '../http/precondition.ts';
import {
  createUser,
  disableUser,
  enableUser,
  getUser,
  listUsers,
  resetUserPassword,
  updateUser,
} from './users.service.ts';

export function usersRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['users'];
  return [
    defineRoute({
      method: 'get',
      path: '/users',
      access: 'ADMIN',
      summary: 'List users (ordered by username), with their role and whether they are disabled.',
      tags,
      schemas: { query: ZUserListQuery, response: ZUserAccountList },
      handler: ({ query }) => listUsers({ prisma, query }),
    }),
    defineRoute({
      method: 'post',
      path: '/users',
      access: 'ADMIN',
      summary: 'Create a user with an initial password (at least 12 characters).',
      tags,
      schemas: { body: ZCreateUserRequest, response: ZUserAccount },
      successStatus: 201,
      async handler({ body, auth, res }) {
        const created = await createUser({ prisma, caller: { auth, requestId: res.locals.requestId }, input: body });
        setEtag(res, created.version);
        res.location(`/api/v1/users/${created.id}`);
        return created;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/users/:id',
      access: 'ADMIN',
      summary: 'One user.',
      tags,
      schemas: { params: ZUuidParams, response: ZUserAccount },
      async handler({ params, res }) {
        return withVersionEtag(res, await getUser({ prisma, id: params.id }));
      },
    }),
    defineRoute({
      method: 'patch',
      path: '/users/:id',
      access: 'ADMIN',
      summary: 'Change display name and/or role; the last enabled ADMIN cannot be demoted (409).',
      tags,
      schemas: { params: ZUuidParams, body: ZUpdateUserRequest, response: ZUserAccount },
      async handler({ params, body, auth, req, res }) {
        return withVersionEtag(
          res,
          await updateUser({
            prisma,
            caller: { auth, requestId: res.locals.requestId },
            id: params.id,
            expectedVersion: ifMatchVersion(req),
            input: body,
          }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:id/disable',
      access: 'ADMIN',
      summary: 'Disable a user and end its sessions; the last enabled ADMIN cannot be disabled (409).',
      tags,
      schemas: { params: ZUuidParams, response: ZUserAccount },
      async handler({ params, auth, req, res }) {
        const caller = { auth, requestId: res.locals.requestId };
        return withVersionEtag(
          res,
          await disableUser({ prisma, caller, id: params.id, expectedVersion: ifMatchVersion(req) }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:id/enable',
      access: 'ADMIN',
      summary: 'Enable a disabled user.',
      tags,
      schemas: { params: ZUuidParams, response: ZUserAccount },
      async handler({ params, auth, req, res }) {
        const caller = { auth, requestId: res.locals.requestId };
        return withVersionEtag(
          res,
          await enableUser({ prisma, caller, id: params.id, expectedVersion: ifMatchVersion(req) }),
        );
      },
    }),
    defineRoute({
      method: 'post',
      path: '/users/:id/reset-password',
      access: 'ADMIN',
      summary: "Set a new password for a user (at least 12 characters); ends the user's sessions.",
      tags,
      schemas: { params: ZUuidParams, body: ZResetPasswordRequest, response: ZUserAccount },
      async handler({ params, body, auth, req, res }) {
        return withVersionEtag(
          res,
          await resetUserPassword({
            prisma,
            caller: { auth, requestId: res.locals.requestId },
            id: params.id,
            expectedVersion: ifMatchVersion(req),
            password: body.password,
          }),
        );
      },
    }),
  ];
}
