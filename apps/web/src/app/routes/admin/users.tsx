// /admin/users — accounts and roles (ADMIN).
import { EmptyState } from '../../../components/ui/empty-state.tsx';
import { PageHeader } from '../../../components/ui/page-header.tsx';

export function UsersRoute() {
  return (
    <>
      <PageHeader title="Users" description="Accounts and their roles: viewer, supervisor or admin." />
      <EmptyState icon="users" title="No user management yet">
        <p>
          Creating accounts, changing roles and disabling users arrives with the user administration screens. Every
          change will be written to the audit log.
        </p>
      </EmptyState>
    </>
  );
}
