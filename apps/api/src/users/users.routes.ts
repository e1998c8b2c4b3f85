// /users: user administration (ADMIN), with the CRUD template. Single-user answers carry an ETag; writes honour
// If-Match.
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
import { crudRoutes } from '../crud/resource.routes.ts';
import { defineRoute, type RouteDefinition } from '../http/route.ts';
import { disableUser, enableUser, listUsers, resetUserPassword, userResource } from './users.service.ts';

export function usersRoutes(options: { prisma: PrismaClient }): RouteDefinition[] {
  const { prisma } = options;
  const tags = ['users'];
  const toggleRoute = (verb: 'disable' | 'enable', summary: string) =>
    defineRoute({
      method: 'post',
      path: `/users/:id/${verb}`,
      access: 'ADMIN',
      summary,
      tags,
      schemas: { params: ZUuidParams, response: ZUserAccount },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, change, expectedVersion }) =>
        (verb === 'disable' ? disableUser : enableUser)({ prisma, change, id: params.id, expectedVersion }),
    });
  return [
    ...crudRoutes({
      prisma,
      resource: userResource,
      basePath: '/users',
      tags,
      access: { read: 'ADMIN', write: 'ADMIN' },
      isVersioned: true,
      summaries: {
        list: 'List users (ordered by username), with their role and whether they are disabled.',
        create: 'Create a user with an initial password (at least 12 characters).',
        get: 'One user.',
        update: 'Change display name and/or role; the last enabled ADMIN cannot be demoted (409).',
      },
      schemas: {
        item: ZUserAccount,
        create: ZCreateUserRequest,
        update: ZUpdateUserRequest,
        listQuery: ZUserListQuery,
        listResponse: ZUserAccountList,
      },
      list: listUsers,
    }),
    toggleRoute('disable', 'Disable a user and end its sessions; the last enabled ADMIN cannot be disabled (409).'),
    toggleRoute('enable', 'Enable a disabled user.'),
    defineRoute({
      method: 'post',
      path: '/users/:id/reset-password',
      access: 'ADMIN',
      summary: "Set a new password for a user (at least 12 characters); ends the user's sessions.",
      tags,
      schemas: { params: ZUuidParams, body: ZResetPasswordRequest, response: ZUserAccount },
      precondition: 'if-match',
      etag: 'version',
      handler: ({ params, body, change, expectedVersion }) =>
        resetUserPassword({ prisma, change, id: params.id, expectedVersion, password: body.password }),
    }),
  ];
}
