// What a page shows when it has nothing yet: what will appear here, and what has to happen first.
import type { ReactNode } from 'react';
import { Icon, type TIconName } from './icon.tsx';

export function EmptyState({ icon, title, children }: { icon: TIconName; title: string; children: ReactNode }) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      <div className="empty-state-icon">
        <Icon name={icon} size={28} />
      </div>
      <h2 id="empty-state-title" className="empty-state-title">
        {title}
      </h2>
      <div className="empty-state-body">{children}</div>
    </section>
  );
}
