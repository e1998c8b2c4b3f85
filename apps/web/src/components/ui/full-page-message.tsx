// A whole-screen message for the moments before the shell can render: checking the session, or the API
// being unreachable.
import type { ReactNode } from 'react';
import { BrandMark } from './brand-mark.tsx';

export function FullPageMessage({
  title,
  detail,
  isBusy = false,
  action,
}: {
  title: string;
  detail?: string;
  isBusy?: boolean;
  action?: ReactNode;
}) {
  return (
    <div className="full-page-message" role={isBusy ? 'status' : 'alert'} aria-busy={isBusy}>
      <BrandMark size={40} />
      <p className="full-page-message-title">{title}</p>
      {detail === undefined ? null : <p className="full-page-message-detail">{detail}</p>}
      {isBusy ? <span className="spinner" aria-hidden="true" /> : null}
      {action}
    </div>
  );
}
