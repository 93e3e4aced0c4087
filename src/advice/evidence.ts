import type { CredentialSummary } from '../vc/summary.js';
import type { Check } from '../vc/verify.js';
import { achievementOf, factsFromAchievement } from '../wallet/facts.js';
import { credentialOf, walletItem } from '../wallet/listing.js';
import type { Holding } from '../wallet/wallet.js';
import type { Evidence, VerifiedSkill } from './plan.js';

/**
 * Verified skills: the skills a worker's holdings align to, counted only while the holding verifies (issued
 * here and active by our records, or imported and verified just now); revoked, suspended, expired and
 * unverifiable holdings do not count. Each skill keeps its evidence: the credential, its score and its date.
 */
export interface HoldingFacts {
  holdingId: string;
  name: string;
  issuer: string | null;
  status: string;
  skills: { code: string; name: string }[];
  score: string | null;
  date: string | null;
  /** This instance's achievement id (credentials issued here). */
  achievementId: string | null;
  /** The achievement's own id (a URL), as the credential names it. */
  achievementUrl: string | null;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;

/** The overall result an Open Badges 3.0 credential carries (the first result with a value, not per skill). */
export function scoreOf(credential: Obj | undefined): string | null {
  const subject = obj([credential?.credentialSubject].flat()[0]);
  const results = [subject?.result].flat().map(obj).filter(Boolean) as Obj[];
  const overall = results.find((r) => typeof r.value === 'string' || typeof r.value === 'number');
  return overall ? String(overall.value) : null;
}

/** What advice needs of one holding, with its status (the wallet's own rules) and live verdict for imports. */
export function holdingFacts(
  holding: Holding,
  verdict: { checks: Check[]; summary?: CredentialSummary | undefined } | undefined,
  now: Date,
): HoldingFacts {
  const item = walletItem(holding, verdict, now);
  const credential = credentialOf(holding);
  const summary = verdict?.summary;
  const achievement = credential ? achievementOf(credential) : undefined;
  const achievementUrl = summary?.achievement?.id ?? (typeof achievement?.id === 'string' ? achievement.id : null);
  // Skill alignments only (the wallet's reading): the EU elements travel as alignments too, and are no skills.
  const skills = factsFromAchievement(achievement).skills.filter((s) => s.code);
  return {
    holdingId: holding.id,
    name: item.name,
    issuer: item.issuer.name ?? item.issuer.id,
    status: item.status,
    skills: skills.map((s) => ({ code: s.code!, name: s.name })),
    score: scoreOf(credential),
    date: item.issuedAt,
    achievementId: holding.issued?.achievementId ?? null,
    achievementUrl,
  };
}

/** The skills the active holdings prove, each with every credential that proves it (newest first). */
export function verifiedSkills(holdings: HoldingFacts[]): VerifiedSkill[] {
  const skills = new Map<string, VerifiedSkill>();
  const active = holdings
    .filter((h) => h.status === 'active')
    .sort((a, b) => (b.date ?? '').localeCompare(a.date ?? '') || a.holdingId.localeCompare(b.holdingId));
  for (const holding of active) {
    const evidence: Evidence = {
      holdingId: holding.holdingId,
      credential: holding.name,
      issuer: holding.issuer,
      score: holding.score,
      date: holding.date,
    };
    for (const skill of holding.skills) {
      const known = skills.get(skill.code);
      if (known) {
        if (!known.evidence.some((e) => e.holdingId === holding.holdingId)) known.evidence.push(evidence);
      } else skills.set(skill.code, { code: skill.code, label: skill.name, evidence: [evidence] });
    }
  }
  return [...skills.values()].sort((a, b) => a.label.localeCompare(b.label) || a.code.localeCompare(b.code));
}

/** Achievements the active holdings give (ids here and achievement URLs): prerequisites they meet. */
export function heldAchievements(holdings: HoldingFacts[]): Set<string> {
  const held = new Set<string>();
  for (const h of holdings) {
    if (h.status !== 'active') continue;
    if (h.achievementId) held.add(h.achievementId);
    if (h.achievementUrl) held.add(h.achievementUrl);
  }
  return held;
}
