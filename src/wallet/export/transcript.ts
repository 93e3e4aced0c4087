import { contextUrls } from '../../vc/contexts.js';
import { hashedIdentity } from '../../vc/identity.js';
import { achievementOf } from '../facts.js';

/**
 * A CLR 2.0 transcript: a ClrCredential whose ClrSubject embeds the learner's Open Badges 3.0 credentials as
 * they hold them (each keeps its issuer's proof), lists their achievements, and relates achievements that
 * are prerequisites of one another. Pure: the caller picks the credentials, the id and the time, and signs.
 *
 * CLR 2.0 embeds credentials as JSON objects only (its schema's VerifiableCredential is an object with
 * @context, type, issuer, validFrom and credentialSubject), so compact VC-JWTs cannot go in.
 */
type Json = Record<string, unknown>;

export interface TranscriptInput {
  id: string;
  issuer: { did: string; name: string; url: string };
  /** The learner's email: it travels only as a salted hash (OB 3.0 IdentityObject). */
  learnerEmail: string;
  salt?: string;
  /** OB 3.0 credentials as held, with their proofs. */
  credentials: Json[];
  /** True when the learner holds credentials this transcript leaves out (CLR's `partial`). */
  partial: boolean;
  validFrom: string;
}

/** Why a held credential cannot be embedded in a CLR 2.0 transcript, or undefined when it can. */
export function embeddable(credential: Json): string | undefined {
  const contexts = [credential['@context']].flat();
  if (contexts[0] !== contextUrls.credentialsV2) {
    return 'It is a VC 1.1 credential; CLR 2.0 embeds VC 2.0 credentials only.';
  }
  const types = [credential.type].flat();
  if (!types.includes('OpenBadgeCredential') && !types.includes('AchievementCredential')) {
    return 'It is not an Open Badges 3.0 credential.';
  }
  if (!achievementOf(credential)) return 'It names no achievement.';
  if (credential.proof === undefined) return 'It carries no embedded proof.';
  return undefined;
}

const prerequisiteType = 'ext:Prerequisite';

export function buildTranscript(input: TranscriptInput): Json {
  const achievements = new Map<string, Json>();
  for (const credential of input.credentials) {
    const achievement = achievementOf(credential);
    const id = achievement?.id;
    if (achievement && typeof id === 'string' && !achievements.has(id)) achievements.set(id, achievement);
  }
  // A prerequisite held too precedes the achievement that requires it.
  const associations: Json[] = [];
  for (const [targetId, achievement] of achievements) {
    const alignments = [achievement.alignment ?? []].flat() as Json[];
    for (const alignment of alignments) {
      const sourceId = alignment.targetUrl;
      if (alignment.targetType !== prerequisiteType || typeof sourceId !== 'string') continue;
      if (!achievements.has(sourceId) || sourceId === targetId) continue;
      if (associations.some((a) => a.sourceId === sourceId && a.targetId === targetId)) continue;
      associations.push({ type: 'Association', associationType: 'precedes', sourceId, targetId });
    }
  }
  const count = input.credentials.length;
  return {
    '@context': [contextUrls.credentialsV2, contextUrls.clr, contextUrls.ob],
    id: input.id,
    type: ['VerifiableCredential', 'ClrCredential'],
    issuer: { id: input.issuer.did, type: ['Profile'], name: input.issuer.name, url: input.issuer.url },
    name: 'Comprehensive Learner Record',
    description: `${count} credential${count === 1 ? '' : 's'}, compiled at the learner's request. Each embedded credential keeps its issuer's own proof.`,
    partial: input.partial,
    validFrom: input.validFrom,
    credentialSubject: {
      type: ['ClrSubject'],
      identifier: [hashedIdentity(input.learnerEmail, 'emailAddress', input.salt)],
      achievement: [...achievements.values()],
      verifiableCredential: input.credentials,
      ...(associations.length ? { association: associations } : {}),
    },
  };
}
