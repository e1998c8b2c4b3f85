// A user's role as a coloured badge; the colour repeats the word, it never replaces it.
import type { TRole } from '@takt/contracts';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function RoleBadge({ role, testId }: { role: TRole; testId?: string }) {
  const { t } = useI18n();
  const label = t(`role.${role}`);
  return (
    <span
      className={`role-badge role-badge-${role.toLowerCase()}`}
      data-testid={testId}
      title={t('shell.role', { role: label })}
    >
      {label}
    </span>
  );
}
