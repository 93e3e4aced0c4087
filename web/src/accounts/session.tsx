import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, setCsrfToken, type Membership, type Session } from '../platform/api';

interface SessionState {
  session: Session | null;
  loading: boolean;
  /** The organization the user is acting for; null when they act as a learner only. */
  currentOrg: Membership | null;
  switchOrg(orgId: string | null): void;
  refresh(): Promise<unknown>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);
const orgKey = 'skillproof.currentOrg';
export const sessionQueryKey = ['session'];

/** The signed-in user, or null; a 401 means "signed out", not an error. */
async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api<Session>('GET', '/api/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: sessionQueryKey, queryFn: fetchSession });
  const [orgId, setOrgId] = useState<string | null>(() => localStorage.getItem(orgKey));
  const session = query.data ?? null;

  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: sessionQueryKey }), [queryClient]);

  const switchOrg = useCallback((id: string | null) => {
    if (id) localStorage.setItem(orgKey, id);
    else localStorage.removeItem(orgKey);
    setOrgId(id);
  }, []);

  const signOutMutation = useMutation({
    mutationFn: () => api('POST', '/api/auth/sign-out', {}),
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.setQueryData(sessionQueryKey, null);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionQueryKey[0] });
    },
  });
  const signOut = useCallback(async () => {
    await signOutMutation.mutateAsync();
  }, [signOutMutation]);

  const currentOrg = useMemo(() => {
    const memberships = session?.memberships ?? [];
    return memberships.find((m) => m.org.id === orgId) ?? memberships[0] ?? null;
  }, [session, orgId]);

  const value = useMemo(
    () => ({ session, loading: query.isPending, currentOrg, switchOrg, refresh, signOut }),
    [session, query.isPending, currentOrg, switchOrg, refresh, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
