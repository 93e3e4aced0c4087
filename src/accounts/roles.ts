/** Roles a user can hold in an organization. Every user is also a learner, which needs no role. */
export const roles = ['owner', 'issuer', 'assessor', 'employer'] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** The owner runs the organization and may act in every role; the others grant only themselves. */
export function grants(held: readonly Role[], wanted: readonly Role[]): boolean {
  return held.includes('owner') || held.some((role) => wanted.includes(role));
}

export const apiScopes = ['read', 'write'] as const;
export type ApiScope = (typeof apiScopes)[number];
