import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, type Membership, type Session } from './api';

interface SessionState {
  session: Session | null;
  loading: boolean;
  /** The organization the user is acting for; null when they act as a learner only. */
  currentOrg: Membership | null;
  switchOrg(orgId: string | null): void;
  refresh(): Promise<Session | null>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
const orgKey = 'skillproof.currentOrg';

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(null);
  const [loading, setLoading] = useState(true);
  const [orgId, setOrgId] = useState<string | null>(() => localStorage.getItem(orgKey));

  const refresh = useCallback(async () => {
    try {
      const next = await api<Session>('GET', '/api/session');
      setCsrfToken(next.csrfToken);
      setSession(next);
      return next;
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) throw error;
      setCsrfToken(null);
      setSession(null);
      return null;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const switchOrg = useCallback((id: string | null) => {
    if (id) localStorage.setItem(orgKey, id);
    else localStorage.removeItem(orgKey);
    setOrgId(id);
  }, []);

  const signOut = useCallback(async () => {
    await api('POST', '/api/auth/sign-out', {});
    setCsrfToken(null);
    setSession(null);
  }, []);

  const currentOrg = useMemo(() => {
    const memberships = session?.memberships ?? [];
    return memberships.find((m) => m.org.id === orgId) ?? memberships[0] ?? null;
  }, [session, orgId]);

  const value = useMemo(
    () => ({ session, loading, currentOrg, switchOrg, refresh, signOut }),
    [session, loading, currentOrg, switchOrg, refresh, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
