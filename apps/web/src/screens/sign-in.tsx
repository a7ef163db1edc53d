import { useState } from 'react';
import { ApiError } from '../api/client';
import { endpoints } from '../api/endpoints';
import type { Role } from '../api/types';
import { ErrorPanel, useLoad } from '../components/common';
import { Button, ErrorSummary, Spinner } from '../components/forms';
import { useSession } from '../session';

const ROLE_TEXT: Record<Role, string> = {
  ward: 'Ward discharge team: refer, record readiness and delays, record simple (P0) discharges',
  hub: 'Transfer of Care hub: accept referrals, assign pathways, discharge and follow up',
  provider: 'Home-care provider: declare capacity (coming)',
  leader: 'System leader: pathway shares and targets, aggregates only',
  admin: 'Administrator: reference data',
};

/** Standalone sign-in: pick a demo user from the local development issuer. */
export function SignIn() {
  const users = useLoad(endpoints.demoUsers, 'demo-users');
  const { signIn } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const choose = async (userId: string) => {
    setBusy(userId);
    setProblem(null);
    try {
      const response = await endpoints.signIn(userId);
      signIn({ token: response.access_token, user: response.user, expiresAt: Date.now() + response.expires_in * 1000 });
    } catch (error) {
      setProblem(error instanceof ApiError ? error.message : 'Sign-in failed');
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="narrow">
      <h1>Sign in</h1>
      <p className="lede">
        Standalone demo: choose who you are. In production you sign in with your NHS smartcard or organisation account.
      </p>
      <ErrorSummary items={[]} message={problem} />
      {users.error ? <ErrorPanel error={users.error} /> : null}
      {!users.data && !users.error && <Spinner label="Loading demo users" />}
      {users.data && (
        <ul className="user-list">
          {users.data.map((user) => (
            <li key={user.userId} className="card card--clickable">
              <div>
                <h2 className="card__heading">{user.displayName}</h2>
                <p className="hint">
                  <code>{user.userId}</code> · {ROLE_TEXT[user.role]}
                </p>
              </div>
              <Button
                onClick={() => void choose(user.userId)}
                busy={busy === user.userId}
                busyLabel="Signing in"
                aria-label={`Sign in as ${user.userId}`}
                data-user={user.userId}
              >
                Sign in
              </Button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
