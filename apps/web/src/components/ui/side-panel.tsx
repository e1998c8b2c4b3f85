// A modal side panel over the right of the page (native <dialog>): Escape, the Close button and a click on the
// backdrop close it, and focus stays inside while it is open. Used for details that open over a page: the OEE
// explanation, a work order, the work-order create form.
import { useEffect, useRef, type ReactNode } from 'react';
import { useI18n } from '../../lib/i18n/i18n.tsx';

export function SidePanel({
  titleId,
  title,
  subtitle,
  badge,
  onClose,
  children,
}: {
  titleId: string;
  title: string;
  subtitle?: ReactNode;
  badge?: ReactNode;
  onClose: () => void;
  children: ReactNode;
}) {
  const { t } = useI18n();
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);

  return (
    <dialog
      ref={dialogRef}
      className="side-panel"
      aria-labelledby={titleId}
      onClose={onClose}
      onClick={(event) => {
        // A click on the backdrop (the dialog element itself, outside its content) closes it.
        if (event.target === dialogRef.current) dialogRef.current.close();
      }}
    >
      <div className="side-panel-content">
        <header className="side-panel-header">
          <div>
            <div className="side-panel-title-row">
              <h2 id={titleId}>{title}</h2>
              {badge}
            </div>
            {subtitle === undefined ? null : <p className="panel-muted">{subtitle}</p>}
          </div>
          <button className="button button-small" type="button" onClick={() => dialogRef.current?.close()}>
            {t('common.close')}
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
