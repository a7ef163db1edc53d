import { endpoints } from '../../api/endpoints';
import { ErrorPanel, useLoad, useNow } from '../../components/common';
import { Spinner } from '../../components/forms';
import { useLiveView } from '../../live/live-context';
import { trustName, useReferenceData } from '../../reference-data';
import { Link } from '../../router';
import { useUser } from '../../session';
import { CaseTable } from '../cases/case-table';

/** The ward's own cases (the API returns only the user's trust). */
export function WardCases() {
  const user = useUser();
  const ref = useReferenceData();
  const cases = useLoad(() => endpoints.cases(), 'ward-cases');
  useLiveView('case-list', () => void cases.reload());
  const now = useNow();
  const open = (cases.data ?? []).filter((c) => c.status === 'referred' || c.status === 'accepted');
  const closed = (cases.data ?? []).filter((c) => c.status !== 'referred' && c.status !== 'accepted');
  return (
    <div>
      <div className="page-heading">
        <h1>Our cases · {trustName(ref, user.organisation)}</h1>
        <Link to="/ward/refer" className="button button--primary">
          Refer someone
        </Link>
      </div>
      {cases.error ? <ErrorPanel error={cases.error} /> : null}
      {!cases.data && !cases.error && <Spinner label="Loading cases" />}
      {cases.data && (
        <>
          <h2>Open</h2>
          <CaseTable rows={open} now={now} caption="Open cases" />
          <h2>Closed</h2>
          <CaseTable rows={closed} now={now} caption="Closed cases" />
        </>
      )}
    </div>
  );
}
