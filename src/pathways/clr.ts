import { achievementOf } from '../wallet/facts.js';
import { buildTranscript, embeddable } from '../wallet/export/transcript.js';

/**
 * A pathway as a CLR 2.0 transcript: a ClrCredential (signed by the instance; the caller signs) whose subject
 * embeds the stacked destination credential and its component credentials as held (each with its issuer's own
 * proof), lists their achievements, and relates them with `association`s: the destination `isParentOf` each
 * component and each component `isChildOf` the destination; a component the pathway asks for first `precedes`
 * the one after it. Pure: plain JSON in, unsigned JSON out.
 */
type Json = Record<string, unknown>;

export interface PathwayClrInput {
  id: string;
  issuer: { did: string; name: string; url: string };
  learnerEmail: string;
  salt?: string;
  pathwayTitle: string;
  destination: Json;
  /** Component credentials as held, by the pathway's component key. */
  components: { key: string; credential: Json }[];
  prerequisites: readonly { before: string; after: string }[];
  validFrom: string;
}

export { embeddable };

const achievementIdOf = (credential: Json): string | undefined => {
  const id = achievementOf(credential)?.id;
  return typeof id === 'string' ? id : undefined;
};

export function pathwayClr(input: PathwayClrInput): Json {
  const credentials = [input.destination, ...input.components.map((c) => c.credential)];
  const transcript = buildTranscript({
    id: input.id,
    issuer: input.issuer,
    learnerEmail: input.learnerEmail,
    ...(input.salt !== undefined ? { salt: input.salt } : {}),
    credentials,
    partial: false,
    validFrom: input.validFrom,
  });
  const subject = transcript.credentialSubject as Json;
  const associations = [...((subject.association as Json[] | undefined) ?? [])];
  const add = (associationType: string, sourceId: string, targetId: string) => {
    if (sourceId === targetId) return;
    if (
      associations.some(
        (a) => a.associationType === associationType && a.sourceId === sourceId && a.targetId === targetId,
      )
    ) {
      return;
    }
    associations.push({ type: 'Association', associationType, sourceId, targetId });
  };
  const parent = achievementIdOf(input.destination);
  const byKey = new Map<string, string>();
  for (const c of input.components) {
    const child = achievementIdOf(c.credential);
    if (!child) continue;
    byKey.set(c.key, child);
    if (parent) {
      add('isParentOf', parent, child);
      add('isChildOf', child, parent);
    }
  }
  for (const edge of input.prerequisites) {
    const before = byKey.get(edge.before);
    const after = byKey.get(edge.after);
    if (before && after) add('precedes', before, after);
  }
  const count = input.components.length;
  return {
    ...transcript,
    name: `Pathway: ${input.pathwayTitle}`,
    description:
      `The stacked credential of the pathway “${input.pathwayTitle}” with the ${count} component credential${count === 1 ? '' : 's'} ` +
      "it was awarded for, compiled at the learner's request. Each embedded credential keeps its issuer's own proof.",
    credentialSubject: { ...subject, ...(associations.length ? { association: associations } : {}) },
  };
}
