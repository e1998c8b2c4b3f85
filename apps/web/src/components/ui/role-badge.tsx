// A user's role as a coloured badge; the colour repeats the word, it never replaces it.
import type { TRole } from '@takt/contracts';

const ROLE_LABELS: Record<TRole, string> = { VIEWER: 'Viewer', SUPERVISOR: 'Supervisor', ADMIN: 'Admin' };

export function roleLabel(role: TRole): string {
  return ROLE_LABELS[role];
}

export function RoleBadge({ role, testId }: { role: TRole; testId?: string }) {
  return (
    <span
      className={`role-badge role-badge-${role.toLowerCase()}`}
      data-testid={testId}
      title={`Role: ${roleLabel(role)}`}
    >
      {roleLabel(role)}
    </span>
  );
}
