import { useSession } from './session';

/** The organization the user acts for, when they may issue for it (issuer or owner), else null. */
export function useIssuerOrg() {
  const { currentOrg } = useSession();
  if (!currentOrg) return null;
  const roles = currentOrg.roles;
  return roles.includes('issuer') || roles.includes('owner') ? currentOrg : null;
}

export const orgPath = (orgId: string, suffix = '') => `/api/orgs/${orgId}${suffix}`;
export const achievementPath = (orgId: string, id: string, suffix = '') =>
  `/api/orgs/${orgId}/achievements/${id}${suffix}`;
