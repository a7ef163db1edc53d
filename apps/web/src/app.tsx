import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import type { Role } from './api/types';
import { LiveBadge } from './components/live-badge';
import { LiveProvider } from './live/live-context';
import { ReferenceDataProvider } from './reference-data';
import { Link, match, navigate, RouterProvider, useLocation } from './router';
import { AdminReferenceData } from './screens/admin/reference-data-view';
import { CaseScreen } from './screens/cases/case-screen';
import { HubCapacity } from './screens/capacity/hub-capacity';
import { ProviderCapacity } from './screens/capacity/provider-capacity';
import { BedBoard } from './screens/hub/bed-board';
import { CommunityReferrals } from './screens/hub/community-referrals';
import { HubQueue } from './screens/hub/hub-queue';
import { LongStays } from './screens/hub/long-stays';
import { ParkedMessages } from './screens/hub/parked-messages';
import { BedSummaryScreen } from './screens/leader/bed-summary';
import { Definitions } from './screens/leader/definitions';
import { SignIn } from './screens/sign-in';
import { ReferralForm } from './screens/ward/referral-form';
import { WardCases } from './screens/ward/ward-cases';
import { SessionProvider, useSession } from './session';
import { Spinner } from './components/forms';

// The chart library is most of the bundle: load it with the dashboard only.
const LeaderDashboard = lazy(() => import('./screens/leader/leader-dashboard').then((m) => ({ default: m.LeaderDashboard })));

interface NavItem {
  to: string;
  label: string;
  /** Shown, but marked as not built yet (its API is still being written). */
  pending?: boolean;
}

const NAV: Record<Role, NavItem[]> = {
  ward: [
    { to: '/ward', label: 'Our cases' },
    { to: '/ward/refer', label: 'Refer someone' },
    { to: '/beds', label: 'Bed base' },
  ],
  hub: [
    { to: '/hub', label: 'Referral queue' },
    { to: '/hub/cases', label: 'All cases' },
    { to: '/hub/community', label: 'Community referrals' },
    { to: '/ward/refer', label: 'Refer someone' },
    { to: '/beds', label: 'Bed board' },
    { to: '/beds/long-stays', label: 'Long stays' },
    { to: '/capacity', label: 'Home-care capacity' },
    { to: '/hub/parked-messages', label: 'Parked messages' },
    { to: '/leader', label: 'Pathway dashboard' },
  ],
  leader: [
    { to: '/leader', label: 'Pathway dashboard' },
    { to: '/beds', label: 'Bed base' },
  ],
  provider: [{ to: '/capacity', label: 'Our capacity' }],
  admin: [
    { to: '/admin/reference-data', label: 'Reference data' },
    { to: '/hub/parked-messages', label: 'Parked messages' },
    { to: '/leader', label: 'Pathway dashboard' },
  ],
};

export const HOME: Record<Role, string> = {
  ward: '/ward',
  hub: '/hub',
  leader: '/leader',
  provider: '/capacity',
  admin: '/admin/reference-data',
};

/** Which roles may open each screen (the API enforces it again). */
function route(path: string, role: Role): ReactNode {
  const is = (...roles: Role[]) => roles.includes(role);
  if (path === '/ward' && is('ward')) return <WardCases />;
  if (path === '/ward/refer' && is('ward', 'hub')) return <ReferralForm />;
  if (path === '/hub' && is('hub')) return <HubQueue mode="queue" />;
  if (path === '/hub/cases' && is('hub')) return <HubQueue mode="all" />;
  const caseMatch = match('/cases/:caseId', path);
  if (caseMatch && is('ward', 'hub')) return <CaseScreen key={caseMatch.caseId} caseId={caseMatch.caseId} />;
  if (path === '/leader' && is('leader', 'hub', 'admin'))
    return (
      <Suspense fallback={<Spinner label="Loading the dashboard" />}>
        <LeaderDashboard />
      </Suspense>
    );
  if (path === '/definitions') return <Definitions />;
  if (path === '/admin/reference-data' && is('admin', 'hub')) return <AdminReferenceData />;
  if (path === '/beds' && is('hub')) return <BedBoard />;
  if (path === '/beds' && is('leader', 'ward', 'admin')) return <BedSummaryScreen />;
  if (path === '/beds/long-stays' && is('hub')) return <LongStays />;
  if (path === '/hub/community' && is('hub')) return <CommunityReferrals />;
  if (path === '/hub/parked-messages' && is('hub', 'admin')) return <ParkedMessages />;
  if (path === '/capacity' && is('hub')) return <HubCapacity />;
  if (path === '/capacity' && is('provider')) return <ProviderCapacity />;
  return null;
}

function Shell() {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const role = session?.user.role;

  useEffect(() => {
    if (!session && path !== '/sign-in') navigate('/sign-in', { replace: true });
    if (session && (path === '/' || path === '/sign-in')) navigate(HOME[session.user.role], { replace: true });
  }, [session, path]);

  const header = (
    <header className="header" role="banner">
      <div className="header__container">
        <Link to={role ? HOME[role] : '/sign-in'} className="header__logo" aria-label="Transfer of Care hub home">
          <span className="header__mark">NHS</span>
          <span className="header__service">Transfer of Care hub</span>
        </Link>
        {session && (
          <div className="header__right">
            <LiveBadge />
            <span className="header__user" data-testid="signed-in-as">
              {session.user.displayName ?? session.user.userId} <span className="header__role">({session.user.role})</span>
            </span>
            <button type="button" className="header__signout" onClick={signOut}>
              Sign out
            </button>
          </div>
        )}
      </div>
      {role && (
        <nav className="nav" aria-label="Main">
          <ul className="nav__list">
            {NAV[role].map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  className={`nav__link${path === item.to ? ' nav__link--current' : ''}`}
                  aria-current={path === item.to ? 'page' : undefined}
                >
                  {item.label}
                  {item.pending && <span className="nav__pending"> · coming</span>}
                </Link>
              </li>
            ))}
            <li>
              <Link to="/definitions" className={`nav__link${path === '/definitions' ? ' nav__link--current' : ''}`}>
                KPI definitions
              </Link>
            </li>
          </ul>
        </nav>
      )}
    </header>
  );

  let main: ReactNode;
  if (!session) main = <SignIn />;
  else {
    main = route(path, session.user.role) ?? (
      <div>
        <h1>Page not found</h1>
        <p>
          This page does not exist or your role cannot open it. <Link to={HOME[session.user.role]}>Go to your start page</Link>.
        </p>
      </div>
    );
  }

  return (
    <>
      <a className="skip-link" href="#main-content">
        Skip to main content
      </a>
      {header}
      <main className="main" id="main-content" tabIndex={-1}>
        {session ? <ReferenceDataProvider>{main}</ReferenceDataProvider> : main}
      </main>
      <footer className="footer">
        <p>Illustrative Somerset reference data · times in Europe/London · no personal data in links or logs</p>
      </footer>
    </>
  );
}

function WithLive({ children }: { children: ReactNode }) {
  const { session } = useSession();
  return session ? <LiveProvider token={session.token}>{children}</LiveProvider> : <>{children}</>;
}

export function App() {
  return (
    <SessionProvider>
      <RouterProvider>
        <WithLive>
          <Shell />
        </WithLive>
      </RouterProvider>
    </SessionProvider>
  );
}
