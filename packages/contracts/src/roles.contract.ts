// Who may do what: the three user roles of docs/domain.md ("Roles"), least to most privileged.
import { z } from 'zod';

export const ROLES = ['VIEWER', 'SUPERVISOR', 'ADMIN'] as const;
export const ZRole = z
  .enum(ROLES)
  .meta({ description: 'VIEWER reads; SUPERVISOR also dispatches and classifies; ADMIN also configures.' });
export type TRole = z.infer<typeof ZRole>;

/** True when `role` carries at least the privileges of `required`. */
export function hasRole(role: TRole, required: TRole): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
