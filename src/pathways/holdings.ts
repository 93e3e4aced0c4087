import { createHash } from 'node:crypto';
import type { CredentialSummary } from '../vc/summary.js';
import type { Check } from '../vc/verify.js';
import { achievementOf, factsFromAchievement } from '../wallet/facts.js';
import { credentialOf, walletItem } from '../wallet/listing.js';
import type { Holding } from '../wallet/wallet.js';
import type { HeldCredential } from './progress.js';

/** A holding as pathways read it, with the bytes it is held as (the stacked credential's evidence digests them). */
export interface HeldDocument extends HeldCredential {
  /** The credential's own id (`urn:uuid:…` or a URL), when it has one. */
  credentialId: string | null;
  document: string;
  /** When it stops being valid (ISO 8601), if it says: expiry is judged from it when the status is used. */
  validUntil?: string | null;
}

/** The digest of a credential's bytes as held: sha-256 over the exact document text (JSON or compact JWT). */
export const digestOf = (document: string) => `sha256:${createHash('sha256').update(document, 'utf8').digest('hex')}`;

/**
 * What a pathway needs of one wallet holding: the wallet's status (our records for credentials issued here, the
 * live verdict for imports), the achievement it names, its skills, level and credits, and whether its issuer is
 * one this instance accepts (its own organizations, or the trust registry: `issuerAccepted`, from the caller).
 */
export function heldCredential(
  holding: Holding,
  verdict: { checks: Check[]; summary?: CredentialSummary | undefined } | undefined,
  now: Date,
  issuerAccepted: boolean,
): HeldDocument {
  const item = walletItem(holding, verdict, now);
  const credential = credentialOf(holding);
  const achievement = credential ? achievementOf(credential) : undefined;
  const facts = factsFromAchievement(achievement);
  const achievementUrl =
    verdict?.summary?.achievement?.id ?? (typeof achievement?.id === 'string' ? achievement.id : null);
  const skills = new Set<string>();
  for (const s of facts.skills) {
    if (s.code) skills.add(s.code);
    if (s.url) skills.add(s.url);
  }
  return {
    holdingId: holding.id,
    name: item.name,
    issuer: { id: item.issuer.id, name: item.issuer.name },
    status: item.status,
    achievementId: holding.issued?.achievementId ?? null,
    achievementUrl,
    skills: [...skills],
    eqfLevel: facts.eqfLevel,
    ectsCredits: facts.ectsCredits,
    workloadHours: facts.workloadHours,
    issuedAt: item.issuedAt,
    issuerAccepted: holding.kind === 'issued' || issuerAccepted,
    credentialId: typeof credential?.id === 'string' ? credential.id : (holding.issued?.credentialId ?? null),
    document: holding.document,
    validUntil: item.validUntil,
  };
}
