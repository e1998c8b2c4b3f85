// Any unknown path inside the app.
import { Link } from 'react-router';
import { EmptyState } from '../../components/ui/empty-state.tsx';
import { PageHeader } from '../../components/ui/page-header.tsx';

export function NotFoundRoute() {
  return (
    <>
      <PageHeader title="Page not found" description="This address does not match any page of Takt." />
      <EmptyState icon="alert" title="Nothing here">
        <p>
          Check the address, or go back to the <Link to="/">overview</Link>.
        </p>
      </EmptyState>
    </>
  );
}
