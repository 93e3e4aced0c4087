/** The scopes of the 1EdTech Open Badges 3.0 API (OB 3.0 §6.2), with what each lets a client do, in plain words. */
export const obScopePrefix = 'https://purl.imsglobal.org/spec/ob/v3p0/scope/';

export const obScopes = {
  credentialRead: `${obScopePrefix}credential.readonly`,
  credentialUpsert: `${obScopePrefix}credential.upsert`,
  profileRead: `${obScopePrefix}profile.readonly`,
  profileUpdate: `${obScopePrefix}profile.update`,
} as const;

export type ObScope = (typeof obScopes)[keyof typeof obScopes];

export const scopeWords: Record<string, string> = {
  [obScopes.credentialRead]: 'See the Open Badges credentials in your wallet',
  [obScopes.credentialUpsert]: 'Add credentials to your wallet, or replace ones it added (each is verified first)',
  [obScopes.profileRead]: 'See your Open Badges profile (your name and email address)',
  [obScopes.profileUpdate]: 'Change your Open Badges profile',
  openid: 'Know who you are on Skillproof',
  offline_access: 'Keep this access while you are away',
};

/** The requested scopes a learner can be asked about, in a stable order; unknown ones are dropped. */
export function knownScopes(scope: string | undefined): string[] {
  const requested = new Set((scope ?? '').split(' ').filter(Boolean));
  return Object.keys(scopeWords).filter((s) => requested.has(s));
}
