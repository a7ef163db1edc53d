import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { configureApi } from './api/client';
import type { SignedInUser } from './api/types';

/**
 * The signed-in user and their bearer token. Kept in memory and in sessionStorage (so a reload in the same
 * tab stays signed in), never in localStorage and never in a URL; closing the tab signs out.
 */
export interface Session {
  token: string;
  user: SignedInUser;
  expiresAt: number;
}

const KEY = 'toc-hub.session';

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const session = JSON.parse(raw) as Session;
    return session.expiresAt > Date.now() ? session : null;
  } catch {
    return null;
  }
}

let current: Session | null = load();

interface SessionContextValue {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(current);
  const signOut = useCallback(() => {
    current = null;
    sessionStorage.removeItem(KEY);
    setSession(null);
  }, []);
  const signIn = useCallback((next: Session) => {
    current = next;
    sessionStorage.setItem(KEY, JSON.stringify(next));
    setSession(next);
  }, []);
  configureApi(() => current?.token ?? null, signOut);
  const value = useMemo(() => ({ session, signIn, signOut }), [session, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** The signed-in user; only for screens rendered behind sign-in. */
export function useUser(): SignedInUser {
  const { session } = useSession();
  if (!session) throw new Error('useUser without a session');
  return session.user;
}
