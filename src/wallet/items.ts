/** What the wallet list shows of each holding: shared by the API and the web pages (types only, no imports). */
export type WalletStatus = 'active' | 'expired' | 'revoked' | 'suspended' | 'unverified';

export interface WalletItem {
  id: string;
  kind: 'issued' | 'imported';
  format: 'ldp_vc' | 'jwt' | 'ob2';
  /** The achievement's name (or the credential's), as the issuer wrote it: data, never markup. */
  name: string;
  description: string | null;
  issuer: { id: string | null; name: string | null };
  /** The skills the achievement aligns to (never its EU elements: those are `facts`). */
  skills: { name: string; code: string | null; framework: string | null }[];
  /** The EU micro-credential elements it states, labelled, in plain words ("Workload" / "25 hours"). */
  facts: { label: string; value: string }[];
  /** The achievement's badge image address, as the credential names it. */
  image: string | null;
  issuedAt: string | null;
  validUntil: string | null;
  addedAt: string;
  status: WalletStatus;
  /** Where an import came from (json, jwt, png, svg, url); null for credentials issued here. */
  source: string | null;
}
