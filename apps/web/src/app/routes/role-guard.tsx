// Keeps a page from a role below its minimum (config/paths.ts): such a user lands on the overview, the
// same way the API would refuse them with 403.
import { hasRole, type TRole } from '@takt/contracts';
import type { ReactNode } from 'react';
import { Navigate } from 'react-router';
import { useMe } from '../../features/auth/api/get-me.ts';

export function RoleGuard({ minRole, children }: { minRole: TRole; children: ReactNode }) {
  const me = useMe();
  // AppRoot renders nothing below it without a user, so this only covers a session ending mid-render.
  if (!me.data) return null;
  if (!hasRole(me.data.role, minRole)) return <Navigate to="/" replace />;
  return children;
}
