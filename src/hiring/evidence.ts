import { identityMatches } from '../vc/identity.js';
import type { CredentialSummary } from '../vc/summary.js';
import type { IdentityObject } from '../vc/types.js';
import type { Check } from '../vc/verify.js';
import { achievementOf, factsFromAchievement } from '../wallet/facts.js';
import { credentialOf, walletItem } from '../wallet/listing.js';
import type { Holding } from '../wallet/wallet.js';
import type { Assessment, EvidenceStatus } from './score.js';

/**
 * What hiring reads of one holding: a skill credential, a record of work (an engagement) or a reference (an Open
 * Badges 3.0 EndorsementCredential), with its status as the wallet's rules give it now (credentials issued here
 * by our records, imports by a live verification). Pure.
 *
 * - Work history is an AchievementCredential whose achievement's `achievementType` is `ext:WorkHistory`, with the
 *   subject's `role`, `activityStartDate` and `activityEndDate`, skills as alignments, and the employer's ratings
 *   as results whose result description is named Communication, Timeliness or Reliability.
 * - How a credential was earned: the evidence this instance writes ("Skill test", "Assessor review"), else a
 *   credential recording a result counts as tested, and one recording none as attendance.
 */
export type HoldingKindForHiring = 'credential' | 'work' | 'reference';

export interface HiringFacts {
  holdingId: string;
  kind: HoldingKindForHiring;
  name: string;
  issuer: { id: string | null; name: string | null };
  status: EvidenceStatus;
  statusDetail: string | null;
  validUntil: string | null;
  assessment: Assessment;
  score: number | null;
  skills: { code: string; label: string; score: number | null }[];
  work: {
    role: string;
    months: number;
    from: string | null;
    until: string | null;
    ratings: { communication: number | null; timeliness: number | null; reliability: number | null };
  } | null;
  reference: { comment: string | null } | null;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : undefined;
const list = (value: unknown): Obj[] =>
  [value]
    .flat()
    .map(obj)
    .filter((v): v is Obj => !!v);
const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : null);

/** A result's value as 0–100 when it reads as a percentage or a plain number in that range. */
export function percent(value: unknown): number | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const n = Number(String(value).trim().replace(/%$/, ''));
  return Number.isFinite(n) && n >= 0 && n <= 100 ? Math.round(n * 100) / 100 : null;
}

const monthMs = (365.25 / 12) * 24 * 60 * 60 * 1000;

export function monthsBetween(from: string | null, until: string | null, now: Date): number {
  const start = from ? Date.parse(from) : NaN;
  if (!Number.isFinite(start)) return 0;
  const end = until ? Date.parse(until) : now.getTime();
  const stop = Number.isFinite(end) ? Math.min(end, now.getTime()) : now.getTime();
  return Math.max(0, Math.round(((stop - start) / monthMs) * 10) / 10);
}

/**
 * Who the worker is, to tell whether an imported record names them: their DIDs, their confirmed emails, and the
 * ids of the credentials they hold (an endorsement of one of them endorses its holder).
 */
export interface WorkerIdentifiers {
  dids: string[];
  emails: string[];
  credentialIds: string[];
}

/**
 * Whether a credential subject names the worker: its id is one of their DIDs, a `mailto:` of one of their
 * emails, or a credential they hold; or one of its identity objects is one of their emails (hashed or not).
 */
export function namesWorker(subject: Obj | undefined, worker: WorkerIdentifiers): boolean {
  if (!subject) return false;
  const emails = worker.emails.map((e) => e.trim().toLowerCase());
  const id = text(subject.id);
  if (id) {
    if (worker.dids.includes(id) || worker.credentialIds.includes(id)) return true;
    if (/^mailto:/i.test(id) && emails.includes(id.slice(7).trim().toLowerCase())) return true;
  }
  return list(subject.identifier).some((identity) => {
    const type = text(identity.identityType);
    const hash = text(identity.identityHash);
    if (!hash || (type !== 'emailAddress' && type !== 'email')) return false;
    return identityMatches({ ...(identity as unknown as IdentityObject), identityType: 'emailAddress' }, emails);
  });
}

/**
 * The facts of one holding. With `worker`, an imported work-history record or reference (EndorsementCredential)
 * that does not name the worker counts as not theirs, however well it verifies.
 */
export function hiringFacts(
  holding: Holding,
  verdict: { checks: Check[]; summary?: CredentialSummary | undefined } | undefined,
  now: Date,
  worker?: WorkerIdentifiers,
): HiringFacts {
  const item = walletItem(holding, verdict, now);
  const credential = credentialOf(holding);
  const types = [credential?.type].flat().map(String);
  const subject = obj([credential?.credentialSubject].flat()[0]);
  const achievement = credential ? achievementOf(credential) : undefined;
  const facts = factsFromAchievement(achievement);
  const results = list(subject?.result);
  const descriptions = new Map(list(achievement?.resultDescription).map((d) => [text(d.id), text(d.name)]));
  const evidenceNames = list(credential?.evidence).map((e) => text(e.name) ?? '');

  const skills = facts.skills
    .map((s) => ({ code: s.code ?? s.url, label: s.name }))
    .filter((s): s is { code: string; label: string } => !!s.code)
    .map((s) => {
      const own = results.find((r) =>
        list(r.alignment).some((a) => text(a.targetCode) === s.code || text(a.targetUrl) === s.code),
      );
      return { ...s, score: own ? percent(own.value) : null };
    });
  const overall = results.find((r) => list(r.alignment).length === 0 && percent(r.value) !== null);
  const score = overall ? percent(overall.value) : null;
  const assessment: Assessment = evidenceNames.includes('Assessor review')
    ? 'reviewed'
    : evidenceNames.includes('Skill test') || score !== null || skills.some((s) => s.score !== null)
      ? 'tested'
      : 'attendance';

  const kind: HoldingKindForHiring = types.includes('EndorsementCredential')
    ? 'reference'
    : facts.achievementType === 'ext:WorkHistory'
      ? 'work'
      : 'credential';
  const notTheirs =
    worker !== undefined &&
    holding.kind === 'imported' &&
    kind !== 'credential' &&
    item.status === 'active' &&
    !namesWorker(subject, worker);
  const status: EvidenceStatus = notTheirs ? 'not-the-candidate' : item.status;
  const statusDetail = notTheirs
    ? // Never who it names instead: that is someone else's identifier.
      'its subject is not one of this worker’s identifiers'
    : status === 'revoked'
      ? [
          holding.issued?.revokedAt ? `on ${holding.issued.revokedAt.toISOString().slice(0, 10)}` : null,
          holding.issued?.revocationReason,
        ]
          .filter(Boolean)
          .join(': ') || null
      : status === 'expired'
        ? item.validUntil
          ? `on ${item.validUntil.slice(0, 10)}`
          : null
        : status === 'unverified'
          ? (verdict?.checks.find((c) => c.status === 'failed')?.message ?? 'it could not be verified')
          : null;

  const rating = (name: string) => {
    const found = results.find((r) => descriptions.get(text(r.resultDescription))?.toLowerCase() === name);
    return found ? percent(found.value) : null;
  };
  const from = text(subject?.activityStartDate);
  const until = text(subject?.activityEndDate);
  return {
    holdingId: holding.id,
    kind,
    name: item.name,
    issuer: item.issuer,
    status,
    statusDetail,
    validUntil: item.validUntil,
    assessment,
    score,
    skills,
    work:
      kind === 'work'
        ? {
            role: text(subject?.role) ?? facts.name ?? item.name,
            months: monthsBetween(from, until, now),
            from,
            until,
            ratings: {
              communication: rating('communication'),
              timeliness: rating('timeliness'),
              reliability: rating('reliability'),
            },
          }
        : null,
    reference:
      kind === 'reference'
        ? { comment: text(obj([credential?.credentialSubject].flat()[0])?.endorsementComment) }
        : null,
  };
}
