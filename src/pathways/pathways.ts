import { createHash, randomUUID } from 'node:crypto';
import type { JobDefinition } from '../platform/jobs/queue.js';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import {
  checkPathway,
  componentsUnder,
  placeNodes,
  readRequirements,
  refKey,
  type AchievementFacts,
  type PathwayCheck,
  type PathwayDefinition,
  type RequirementNode,
} from './pathway.js';
import { digestOf, type HeldDocument } from './holdings.js';
import { evaluate, type Progress } from './progress.js';
import { cheapestRoute, type Route } from './route.js';
import { embeddable, pathwayClr } from './clr.js';
import { elmCredential, elmQualification, type ElmLearner } from './elm.js';
import { validateElm, type ElmValidation } from './elm-shacl.js';
import { nowSeconds } from '../vc/data-integrity.js';
import { reevaluate as reevaluateAll, type LearnerOutcome } from './reevaluate.js';
import type { HoldingFactsStore } from './facts-store.js';
import type { AwardComponent, AwardRecord, PathwayRecord, PathwaysStore, PathwayVersion } from './store.js';

export type { HeldDocument } from './holdings.js';
export type { PathwayDefinition, PathwayCheck } from './pathway.js';

export const pathwayAwardJob = 'pathways.award';
export const pathwayRecheckJob = 'pathways.recheck';
export const pathwayLearnerJob = 'pathways.learner';
export const pathwayReevaluateJob = 'pathways.reevaluate';

/** What pathways ask of the rest of the platform: small ports, wired in the composition root. */
export interface PathwaysDeps {
  store: PathwaysStore;
  publicUrl: string;
  /** The catalog's facts for achievement ids of this instance (unknown ids are left out). */
  achievements: (ids: string[]) => Promise<AchievementFacts[]>;
  /** Every holding of a learner with its status (issued here: our records; imports: verified now). */
  holdings: (userId: string) => Promise<HeldDocument[]>;
  /** Issues the destination (or an off-ramp) to a learner, once per `sourceKey`; the credential row's id. */
  issue?: (award: {
    orgId: string;
    achievementId: string;
    userId: string;
    pathwayName: string;
    components: AwardComponent[];
    sourceKey: string;
  }) => Promise<{ credentialId: string; name: string }>;
  /** Revokes a stacked credential (its row id) when the issuer decides so on a flag. */
  /** Revokes a stacked credential as `userId` (the issuer deciding), in `orgId`. */
  revoke?: (userId: string, orgId: string, credentialId: string, reason: string) => Promise<void>;
  /** A learner's email address: notices (a stacked credential or an off-ramp issued) go to the outbox for it. */
  emailOf?: (userId: string) => Promise<string>;
  /** Called after a notice was written to the outbox (the mail capability sends it when SMTP is configured). */
  mailed?: () => void;
  /**
   * The projection of every learner's holdings that re-evaluations read in bulk (facts-store.ts), refreshed from
   * `holdings` for the learners the database marked. Without it, a publish re-evaluates nobody.
   */
  facts?: Pick<HoldingFactsStore, 'marked' | 'markOf' | 'replace' | 'source'>;
  /** Threads a re-evaluation evaluates on (default: the cores there are, at most 4; 0: this thread). */
  reevaluateThreads?: number;
  /** Queues a job once per key (the platform's durable queue). */
  enqueue?: (name: string, data: object, options: { key: string; userId?: string | null }) => Promise<unknown>;
  /** The instance as a CLR issuer, and its signature (eddsa-rdfc-2022) over an unsigned credential. */
  instance?: {
    issuer: () => { did: string; name: string; url: string };
    sign: (unsigned: Record<string, unknown>) => Promise<Record<string, unknown>>;
  };
  timeLimitSeconds?: number;
  /** A published micro-credential's OB 3.0 Achievement (its `creator` is the issuer's Profile), for the ELM export. */
  publishedAchievement?: (achievementId: string) => Promise<Record<string, unknown>>;
}

/** An ELM export with its validation against the bundled shapes. */
export interface ElmExport {
  document: Record<string, unknown>;
  validation: ElmValidation;
}

/**
 * Validates an ELM export and refuses one that breaks the shapes (a violation is the export's fault, or data the EU
 * lists cannot express): the caller never serves an invalid document as ELM.
 */
export async function checkedElm(document: Record<string, unknown>): Promise<ElmExport> {
  const validation = await validateElm(document);
  if (!validation.conforms) {
    throw new DomainError(
      'conflict',
      `This cannot be exported as a valid European Learning Model document: ${validation.violations
        .slice(0, 3)
        .map((v) => v.message)
        .join(' ')}`,
      { violations: validation.violations },
    );
  }
  return { document, validation };
}

export interface PathwayInput {
  title: string;
  description: string;
  destination: string;
  requirements: unknown;
  recognition?: PathwayDefinition['recognition'] | undefined;
  prerequisites?: PathwayDefinition['prerequisites'] | undefined;
  offRamps?: PathwayDefinition['offRamps'] | undefined;
}

/** How often a stacked credential's imported components are checked with their issuers again. */
const recheckPeriodMs = 6 * 60 * 60_000;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every achievement id of this instance a definition names (destination, components, off-ramps). */
function localIds(definition: PathwayDefinition): string[] {
  const ids = new Set<string>([definition.destination]);
  for (const p of placeNodes(definition.requirements).all) {
    if (p.node.type === 'component' && 'achievementId' in p.node.component) ids.add(p.node.component.achievementId);
  }
  for (const r of definition.offRamps) ids.add(r.achievementId);
  return [...ids].filter((id) => uuidPattern.test(id));
}

/** What a holding can match a published pathway by (achievement ids and URLs, skills): "on or near" lookups. */
export function matchKeysOf(definition: PathwayDefinition): string[] {
  const keys = new Set<string>();
  for (const p of placeNodes(definition.requirements).all) {
    if (p.node.type === 'component') keys.add(refKey(p.node.component));
  }
  for (const rule of definition.recognition) {
    if (rule.by === 'achievement') keys.add(rule.achievementId);
    else rule.skills.forEach((s) => keys.add(`skill:${s.trim()}`));
  }
  return [...keys].sort();
}

/** A credential held as JSON (not a compact VC-JWT), parsed; undefined otherwise. */
function jsonOf(document: string): Record<string, unknown> | undefined {
  if (!document.trim().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(document) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

export function createPathways(deps: PathwaysDeps) {
  const { store } = deps;
  const achievementPrefix = `${deps.publicUrl}/achievements/`;

  async function factsFor(definition: PathwayDefinition) {
    const facts = new Map((await deps.achievements(localIds(definition))).map((f) => [f.achievementId, f]));
    return (id: string) => facts.get(id);
  }

  function read(input: PathwayInput): PathwayDefinition {
    const requirements = readRequirements(input.requirements);
    if ('code' in requirements) throw invalid(requirements.message, { field: requirements.field });
    return {
      title: input.title,
      description: input.description,
      destination: input.destination,
      requirements: requirements as RequirementNode,
      recognition: input.recognition ?? [],
      prerequisites: input.prerequisites ?? [],
      offRamps: input.offRamps ?? [],
    };
  }

  async function check(orgId: string, definition: PathwayDefinition, self?: string): Promise<PathwayCheck> {
    const [achievement, others] = await Promise.all([factsFor(definition), store.published()]);
    return checkPathway(definition, {
      orgId,
      achievement,
      otherPathways: others
        .filter((o) => o.pathwayId !== self)
        .map((o) => ({
          title: o.definition.title,
          destination: o.definition.destination,
          components: placeNodes(o.definition.requirements)
            .all.map((p) => (p.node.type === 'component' ? refKey(p.node.component) : undefined))
            .filter((k): k is string => !!k),
        })),
    });
  }

  async function get(orgId: string, id: string): Promise<PathwayRecord> {
    const record = uuidPattern.test(id) ? await store.find(orgId, id) : undefined;
    if (!record) throw notFound('That pathway');
    return record;
  }

  async function view(orgId: string, record: PathwayRecord) {
    return { record, check: await check(orgId, record.draft, record.id) };
  }

  /** The newest published version of a pathway that is open (not retired), for learners. */
  async function current(id: string): Promise<PathwayVersion> {
    const [latest] = uuidPattern.test(id) ? await store.versionsOf(id) : [];
    if (!latest || latest.status !== 'published') throw notFound('That pathway');
    return latest;
  }

  function holdingKeys(h: HeldDocument): string[] {
    const keys = [...h.skills.map((s) => `skill:${s}`)];
    if (h.achievementId) keys.push(h.achievementId);
    if (h.achievementUrl) {
      keys.push(h.achievementUrl);
      if (h.achievementUrl.startsWith(achievementPrefix)) {
        const id = /^([0-9a-f-]{36})/i.exec(h.achievementUrl.slice(achievementPrefix.length))?.[1];
        if (id) keys.push(id);
      }
    }
    return keys;
  }

  async function progressOf(version: PathwayVersion, holdings: HeldDocument[]) {
    const achievement = await factsFor(version.definition);
    const evaluation = evaluate({
      definition: version.definition,
      holdings,
      achievement,
      achievementUrlPrefix: achievementPrefix,
    });
    return { evaluation, achievement };
  }

  function summary(version: PathwayVersion, progress: Progress, destination: AchievementFacts | undefined) {
    const components = placeNodes(version.definition.requirements).all.filter((p) => p.node.type === 'component');
    return {
      pathwayId: version.pathwayId,
      version: version.version,
      title: version.definition.title,
      issuer: { id: version.orgId, name: version.orgName },
      destination: { achievementId: version.definition.destination, name: destination?.name ?? null },
      complete: progress.complete,
      components: components.length,
      satisfied: progress.satisfied.length,
      notCounted: progress.notCounted.length,
      remaining: progress.remaining,
    };
  }

  /**
   * Writes a notice for a learner to the outbox once per key (the key and the message in one transaction), so a
   * retried or crashed award job neither repeats nor loses it.
   */
  async function notice(key: string, userId: string, orgId: string, message: { subject: string; text: string }) {
    if (!deps.emailOf) return false;
    const written = await store.noticeOnce({
      key,
      userId,
      outboxId: randomUUID(),
      orgId,
      to: await deps.emailOf(userId),
      ...message,
    });
    if (written) deps.mailed?.();
    return written;
  }

  /**
   * Flags the learner's stacked credentials whose component is revoked as the holdings verify now. Credentials
   * issued here flag at once when revoked (`componentRevoked`); an imported component's revocation is only seen by
   * checking it with its issuer, which the learner's reads and the periodic recheck do. Returns how many were new.
   */
  async function recheck(userId: string, holdings?: HeldDocument[]): Promise<number> {
    const issued = (await store.awardsOf(userId)).filter((a) => a.state === 'issued');
    if (issued.length === 0) return 0;
    const held = new Map((holdings ?? (await deps.holdings(userId))).map((h) => [h.holdingId, h]));
    let flagged = 0;
    for (const award of issued) {
      for (const c of award.components) {
        const now = held.get(c.holdingId);
        if (now?.status !== 'revoked') continue;
        const reason =
          `Revoked by its issuer${c.issuer.name ? ` (${c.issuer.name})` : ''}: found when the credential ` +
          `“${c.name}” was checked with its issuer on ${new Date().toISOString().slice(0, 10)}.`;
        if (await store.flag({ id: randomUUID(), awardId: award.id, componentHoldingId: c.holdingId, reason })) {
          flagged++;
        }
      }
    }
    return flagged;
  }

  /**
   * Queues the stacked award for a complete pathway. The job key names the holdings that complete it, so a run
   * that found the pathway incomplete after all (a credential revoked meanwhile) does not block a later one; the
   * award itself is once per learner and version whatever runs (a unique row, and the issuance source key).
   */
  async function queueAward(
    userId: string,
    version: PathwayVersion,
    progress: Progress | { holdings: readonly string[] },
    awards: AwardRecord[],
  ) {
    if (!deps.enqueue) return;
    if (
      awards.some((a) => a.pathwayId === version.pathwayId && a.version === version.version && a.state === 'issued')
    ) {
      return;
    }
    const ids = 'holdings' in progress ? progress.holdings : progress.satisfied.map((s) => s.holding.holdingId);
    const holdings = [...new Set(ids)].sort().join(',');
    const basis = createHash('sha256').update(holdings).digest('hex').slice(0, 32);
    await deps.enqueue(
      pathwayAwardJob,
      { pathwayId: version.pathwayId, version: version.version, userId },
      { key: `${version.pathwayId}:${version.version}:${userId}:${basis}`, userId },
    );
  }

  function awardView(award: AwardRecord | undefined) {
    return award
      ? {
          state: award.state,
          credentialId: award.credentialId,
          issuedAt: award.issuedAt?.toISOString() ?? null,
        }
      : null;
  }

  /**
   * The award itself (the job's body): re-evaluates from the holdings as they are now, records the award once
   * (the components with the digest of each credential as held), issues the destination with a source key that
   * makes a retried or crashed run return the same credential, then notifies the learner once.
   */
  async function award(data: { pathwayId: string; version: number; userId: string }) {
    const version = await store.version(data.pathwayId, data.version);
    if (!version || version.status !== 'published') return { awarded: false, reason: 'The pathway is not published.' };
    const holdings = await deps.holdings(data.userId);
    const { evaluation } = await progressOf(version, holdings);
    const byId = new Map(holdings.map((h) => [h.holdingId, h]));
    const evidenceOf = (keys?: Set<string>): AwardComponent[] =>
      evaluation.progress.satisfied
        .filter((s) => !keys || keys.has(s.component))
        .map(({ component, holding }) => {
          const held = byId.get(holding.holdingId)!;
          return {
            component,
            holdingId: held.holdingId,
            credentialId: held.credentialId,
            issuer: held.issuer,
            name: held.name,
            digest: digestOf(held.document),
          };
        });
    // Off-ramps: the intermediate micro-credential of each completed subtree, once (the issuance source key).
    let offRamps = 0;
    for (const ramp of evaluation.progress.offRamps.filter((r) => r.complete)) {
      if (!deps.issue) break;
      const node = evaluation.placed.all.find((p) => p.key === ramp.node);
      if (!node) continue;
      const components = evidenceOf(new Set(componentsUnder(node).map((c) => c.key)));
      const issued = await deps.issue({
        orgId: version.orgId,
        achievementId: ramp.achievementId,
        userId: data.userId,
        pathwayName: version.definition.title,
        components,
        sourceKey: `pathway-off-ramp:${version.pathwayId}:${version.version}:${data.userId}:${ramp.node}`,
      });
      await notice(
        `off-ramp:${version.pathwayId}:${version.version}:${data.userId}:${ramp.node}`,
        data.userId,
        version.orgId,
        {
          subject: `You earned ${issued.name}`,
          text:
            `You completed part of the pathway “${version.definition.title}” of ${version.orgName}, so ` +
            `${version.orgName} has issued you “${issued.name}” on the way. It is in your wallet, with the ` +
            `${components.length} credential${components.length === 1 ? '' : 's'} it stacks listed as its evidence. ` +
            `The pathway goes on to its destination from here.`,
        },
      );
      offRamps++;
    }
    if (!evaluation.progress.complete) return { awarded: false, offRamps, reason: 'The pathway is not complete.' };
    const components: AwardComponent[] = evaluation.progress.satisfied.map(({ component, holding }) => {
      const held = byId.get(holding.holdingId)!;
      return {
        component,
        holdingId: held.holdingId,
        credentialId: held.credentialId,
        issuer: held.issuer,
        name: held.name,
        digest: digestOf(held.document),
      };
    });
    const record = await store.claimAward({
      id: randomUUID(),
      pathwayId: version.pathwayId,
      version: version.version,
      userId: data.userId,
      components,
    });
    const stackedNotice = (name: string) =>
      notice(`award:${record.id}`, data.userId, version.orgId, {
        subject: `You earned ${name}`,
        text:
          `Your credentials complete the pathway “${version.definition.title}” of ${version.orgName}, ` +
          `so ${version.orgName} has issued you “${name}”. It is in your wallet, with the ` +
          `${record.components.length} credentials it stacks listed as its evidence.`,
      });
    if (record.state === 'issued') {
      // A run that died after marking the award issued but before writing the notice: written now, once.
      const destination = (await deps.achievements([version.definition.destination]))[0];
      await stackedNotice(destination?.name ?? version.definition.title);
      return { awarded: false, credentialId: record.credentialId, reason: 'Already issued.' };
    }
    if (!deps.issue) throw new Error('Pathways cannot issue: no issuer port is wired.');
    const issued = await deps.issue({
      orgId: version.orgId,
      achievementId: version.definition.destination,
      userId: data.userId,
      pathwayName: version.definition.title,
      components: record.components,
      sourceKey: `pathway:${record.id}`,
    });
    await store.markIssued(record.id, issued.credentialId);
    await stackedNotice(issued.name);
    return { awarded: true, credentialId: issued.credentialId };
  }

  const job: JobDefinition<{ pathwayId: string; version: number; userId: string }> = {
    name: pathwayAwardJob,
    handler: (data) => award(data),
  };

  /**
   * A learner's holdings by the per-learner path, written to the projection re-evaluations read (their mark, read
   * first, is cleared unless something changed meanwhile).
   */
  async function refreshFacts(userId: string, mark?: string): Promise<HeldDocument[]> {
    if (!deps.facts) return deps.holdings(userId);
    const marked = mark ?? (await deps.facts.markOf(userId));
    const holdings = await deps.holdings(userId);
    await deps.facts.replace(userId, holdings, marked);
    return holdings;
  }

  /**
   * Refreshes the learners the database marked (a few at once: each may verify imports with their issuers), at
   * most `max` of them (a re-evaluation refreshes all; the sweep drains them a part at a time between publishes).
   */
  async function refreshMarked(max = Infinity): Promise<number> {
    if (!deps.facts) return 0;
    let after: string | null = null;
    let refreshed = 0;
    for (;;) {
      const marked = await deps.facts.marked(after, Math.min(200, max - refreshed));
      for (let i = 0; i < marked.length; i += 8) {
        await Promise.all(marked.slice(i, i + 8).map((m) => refreshFacts(m.userId, m.mark)));
      }
      refreshed += marked.length;
      if (marked.length < 200 || refreshed >= max) return refreshed;
      after = marked[marked.length - 1]!.userId;
    }
  }

  // The recheck verifies the learner's imports with their issuers again: the projection takes the verdicts too.
  const recheckJob: JobDefinition<{ userId: string }> = {
    name: pathwayRecheckJob,
    handler: async ({ userId }) => ({ flagged: await recheck(userId, await refreshFacts(userId)) }),
  };

  /**
   * Queues a recheck for every learner holding a stacked credential, once per learner and period (the job key):
   * imported components are verified with their issuers again, and the revoked ones flag the award.
   */
  async function sweepRechecks(periodMs = recheckPeriodMs): Promise<number> {
    if (!deps.enqueue) return 0;
    const period = Math.floor(Date.now() / periodMs);
    let after: string | null = null;
    let queued = 0;
    for (;;) {
      const learners = await store.learnersWithAwards(after, 500);
      for (const userId of learners) {
        await deps.enqueue(pathwayRecheckJob, { userId }, { key: `${userId}:${period}`, userId });
      }
      queued += learners.length;
      if (learners.length < 500) return queued;
      after = learners[learners.length - 1]!;
    }
  }
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<number> | undefined;

  /**
   * A component credential was revoked: every stacked credential listing it is flagged for its issuer's review
   * (revoke or keep), never revoked here. Returns how many were newly flagged.
   */
  async function componentRevoked(holdingId: string, reason: string): Promise<number> {
    let flagged = 0;
    for (const a of await store.awardsWithComponent(holdingId)) {
      if (await store.flag({ id: randomUUID(), awardId: a.id, componentHoldingId: holdingId, reason })) flagged++;
    }
    return flagged;
  }

  /**
   * One of the learner's credentials as an unsigned ELM v3 EuropeanDigitalCredential. A stacked credential a
   * pathway awarded carries the component credentials it was awarded for (still held, as JSON) as `hasPart`.
   */
  async function elmHolding(learner: ElmLearner & { email: string }, holdingId: string): Promise<ElmExport> {
    if (!uuidPattern.test(holdingId)) throw notFound('That credential');
    const holdings = await deps.holdings(learner.id);
    const holding = holdings.find((h) => h.holdingId === holdingId);
    if (!holding) throw notFound('That credential');
    const credential = jsonOf(holding.document);
    if (!credential) {
      throw conflict('This credential is held as a VC-JWT; the ELM export reads Open Badges 3.0 JSON credentials.');
    }
    const award = (await store.awardsOf(learner.id)).find((a) => a.state === 'issued' && a.credentialId === holdingId);
    const byId = new Map(holdings.map((h) => [h.holdingId, h]));
    const parts = (award?.components ?? [])
      .map((c) => byId.get(c.holdingId))
      .map((h) => (h ? jsonOf(h.document) : undefined))
      .filter((c): c is Record<string, unknown> => c !== undefined);
    return checkedElm(elmCredential({ credential, parts, learner, key: holdingId }));
  }

  /** The published pathways a learner is on or near: sharing at least one component with their holdings. */
  async function mine(userId: string, held?: HeldDocument[]) {
    const holdings = held ?? (await deps.holdings(userId));
    await recheck(userId, holdings);
    const keys = [...new Set(holdings.flatMap(holdingKeys))];
    const [candidates, awards] = await Promise.all([store.published(keys), store.awardsOf(userId)]);
    const out = [];
    for (const version of candidates) {
      const { evaluation, achievement } = await progressOf(version, holdings);
      if (evaluation.progress.touches === 0) continue;
      if (evaluation.progress.complete || evaluation.progress.offRamps.some((r) => r.complete)) {
        await queueAward(userId, version, evaluation.progress, awards);
      }
      out.push({
        ...summary(version, evaluation.progress, achievement(version.definition.destination)),
        award: awardView(awards.find((a) => a.pathwayId === version.pathwayId && a.version === version.version)),
      });
    }
    return { pathways: out };
  }

  /**
   * A learner's holdings changed (a credential issued to them here): their pathways are evaluated again in a job,
   * which queues the award of any the change completes, so nobody has to open the pathways page to be awarded.
   */
  async function holdingsChanged(userId: string, key: string): Promise<void> {
    await deps.enqueue?.(pathwayLearnerJob, { userId }, { key, userId });
  }

  const learnerJob: JobDefinition<{ userId: string }> = {
    name: pathwayLearnerJob,
    handler: async ({ userId }) => ({ pathways: (await mine(userId, await refreshFacts(userId))).pathways.length }),
  };

  /**
   * A newly published version, evaluated for every learner: the learners whose holdings changed since their facts
   * were written are refreshed (the per-learner path), then every learner's facts are read in bulk and evaluated
   * with `evaluate` on threads (`reevaluate` in reevaluate.ts), and each learner the version completes (or an
   * off-ramp of it) gets the award queued, once per learner and version whatever reruns; the award job evaluates
   * their wallet again, live. Returns how many learners were refreshed and evaluated, how many complete, the
   * components satisfied in all, and how many awards were queued.
   */
  async function reevaluate(data: { pathwayId: string; version: number }) {
    const none = { refreshed: 0, learners: 0, complete: 0, satisfied: 0, queued: 0 };
    const version = await store.version(data.pathwayId, data.version);
    if (!version || version.status !== 'published' || !deps.facts) return none;
    const refreshed = await refreshMarked();
    const facts = await deps.achievements(localIds(version.definition));
    let queued = 0;
    const queue = async (outcomes: LearnerOutcome[]) => {
      for (const o of outcomes) {
        if (!o.holdings) continue; // neither complete nor an off-ramp complete
        await queueAward(o.learner, version, { holdings: o.holdings }, await store.awardsOf(o.learner));
        queued++;
      }
    };
    const toEvaluate = { definition: version.definition, facts, achievementUrlPrefix: achievementPrefix };
    const source = deps.facts.source(toEvaluate, new Date(), queue);
    try {
      const result = await reevaluateAll(toEvaluate, source, {
        pageSize: 1000,
        ...(deps.reevaluateThreads !== undefined ? { threads: deps.reevaluateThreads } : {}),
      });
      return { refreshed, learners: result.learners, complete: result.complete, satisfied: result.satisfied, queued };
    } finally {
      await source.close();
    }
  }

  const reevaluateJob: JobDefinition<{ pathwayId: string; version: number }> = {
    name: pathwayReevaluateJob,
    handler: (data) => reevaluate(data),
  };

  return {
    check: async (orgId: string, input: PathwayInput) => check(orgId, read(input)),

    recheck,
    recheckJob,
    sweepRechecks,
    holdingsChanged,
    learnerJob,
    reevaluate,
    reevaluateJob,
    refreshMarked,
    /** A learner's holdings by the per-learner path (the wallet's, imports verified): what progress reads. */
    heldBy: (userId: string) => deps.holdings(userId),
    /**
     * Rechecks now and then in a worker process (every `periodMs`, once per learner and period), and refreshes
     * the projection of learners marked since (up to 2,000 a time), so a publish finds few left to refresh.
     */
    startSweeping(periodMs = recheckPeriodMs): void {
      if (timer) return;
      const kick = () => {
        sweeping ??= Promise.all([sweepRechecks(periodMs), refreshMarked(2000).catch(() => 0)])
          .then(([queued]) => queued)
          .catch(() => 0)
          .finally(() => (sweeping = undefined));
      };
      timer = setInterval(kick, Math.min(periodMs, 15 * 60_000));
      timer.unref();
      kick();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await sweeping;
    },

    async create(orgId: string, input: PathwayInput) {
      const id = randomUUID();
      await store.insert({ id, orgId, draft: read(input) });
      return view(orgId, await get(orgId, id));
    },

    get: async (orgId: string, id: string) => view(orgId, await get(orgId, id)),

    list: (orgId: string) => store.list(orgId),

    async updateDraft(orgId: string, id: string, input: PathwayInput) {
      const record = await get(orgId, id);
      if (record.status === 'retired') throw conflict('A retired pathway cannot change.');
      await store.saveDraft(orgId, id, read(input));
      return view(orgId, await get(orgId, id));
    },

    /** Publishes the draft as the next immutable version, if nothing makes it impossible to complete. */
    async publish(orgId: string, id: string): Promise<PathwayVersion> {
      const record = await get(orgId, id);
      if (record.status === 'retired') throw conflict('A retired pathway cannot be published again.');
      const found = await check(orgId, record.draft, id);
      if (found.errors.length) {
        throw new DomainError(
          'invalid-input',
          `This pathway cannot be published: ${found.errors.map((e) => e.message).join(' ')}`,
          { errors: found.errors },
        );
      }
      if (
        !(await store.publish(orgId, id, record.latestVersion, {
          definition: record.draft,
          matches: matchKeysOf(record.draft),
        }))
      ) {
        throw conflict('Someone published this pathway at the same time; reload and try again.');
      }
      const published = (await store.version(id, record.latestVersion + 1))!;
      // Learners whose holdings already complete the new version are awarded without looking (a job).
      await deps.enqueue?.(
        pathwayReevaluateJob,
        { pathwayId: id, version: published.version },
        { key: `${id}:${published.version}` },
      );
      return published;
    },

    async retire(orgId: string, id: string) {
      const record = await get(orgId, id);
      if (record.status !== 'published') throw conflict('Only a published pathway can be retired.');
      await store.setStatus(orgId, id, 'retired');
      return view(orgId, await get(orgId, id));
    },

    async versions(orgId: string, id: string) {
      await get(orgId, id);
      return store.versionsOf(id);
    },

    mine,

    /** A learner's progress on one published pathway, with the cheapest way to finish. */
    async progress(userId: string, pathwayId: string) {
      const version = await current(pathwayId);
      const [holdings, awards] = await Promise.all([deps.holdings(userId), store.awardsOf(userId)]);
      await recheck(userId, holdings);
      const { evaluation, achievement } = await progressOf(version, holdings);
      const route: Route = await cheapestRoute(
        evaluation,
        achievement,
        version.definition.prerequisites,
        deps.timeLimitSeconds ?? 2,
      );
      if (evaluation.progress.complete || evaluation.progress.offRamps.some((r) => r.complete)) {
        await queueAward(userId, version, evaluation.progress, awards);
      }
      return {
        ...summary(version, evaluation.progress, achievement(version.definition.destination)),
        definition: version.definition,
        progress: evaluation.progress,
        route,
        award: awardView(awards.find((a) => a.pathwayId === version.pathwayId && a.version === version.version)),
      };
    },

    award,
    job,
    componentRevoked,

    /**
     * A stacked credential in the learner's wallet (its holding id) with its components: each as recorded in the
     * award (name, issuer, digest), whether it is still in the wallet with the same bytes and its status now, and
     * the issuer's review of any revoked component. Not found for a holding that is not a stacked credential.
     */
    async stacked(userId: string, holdingId: string) {
      const awarded = uuidPattern.test(holdingId) ? await store.awardByCredential(userId, holdingId) : undefined;
      if (!awarded) throw notFound('That stacked credential');
      const holdings = await deps.holdings(userId);
      await recheck(userId, holdings);
      const [version, flags] = await Promise.all([
        store.version(awarded.pathwayId, awarded.version),
        store.flagsOfAward(awarded.id),
      ]);
      const held = new Map(holdings.map((h) => [h.holdingId, h]));
      return {
        pathway: {
          id: awarded.pathwayId,
          version: awarded.version,
          title: version?.definition.title ?? null,
          issuer: version ? { id: version.orgId, name: version.orgName } : null,
        },
        issuedAt: awarded.issuedAt?.toISOString() ?? null,
        components: awarded.components.map((c) => {
          const now = held.get(c.holdingId);
          return {
            component: c.component,
            name: c.name,
            issuer: c.issuer,
            digest: c.digest,
            holdingId: now ? c.holdingId : null,
            status: now?.status ?? null,
            sameBytes: now ? digestOf(now.document) === c.digest : null,
          };
        }),
        flags: flags.map((f) => ({
          componentHoldingId: f.componentHoldingId,
          reason: f.reason,
          flaggedAt: f.createdAt.toISOString(),
          decision: f.decision,
          decidedAt: f.decidedAt?.toISOString() ?? null,
        })),
      };
    },

    /**
     * A completed pathway as a CLR 2.0 ClrCredential signed by the instance: the stacked credential and the
     * component credentials it was awarded for, as held, with their associations.
     */
    async clr(user: { id: string; email: string }, pathwayId: string) {
      if (!uuidPattern.test(pathwayId)) throw notFound('That pathway');
      const awarded = (await store.awardsOf(user.id))
        .filter((a) => a.pathwayId === pathwayId && a.state === 'issued' && a.credentialId)
        .sort((a, b) => b.version - a.version)[0];
      if (!awarded) {
        throw conflict('You have not been awarded this pathway yet: the CLR export holds the stacked credential.');
      }
      if (!deps.instance) throw new Error('Pathways cannot sign: no instance signer is wired.');
      const version = (await store.version(pathwayId, awarded.version))!;
      const held = new Map((await deps.holdings(user.id)).map((h) => [h.holdingId, h]));
      const leftOut: { holdingId: string; name: string; reason: string }[] = [];
      const json = (holdingId: string, name: string): Record<string, unknown> | undefined => {
        const holding = held.get(holdingId);
        if (!holding) {
          leftOut.push({ holdingId, name, reason: 'It is no longer in your wallet.' });
          return undefined;
        }
        let credential: Record<string, unknown> | undefined;
        try {
          credential = holding.document.trim().startsWith('{')
            ? (JSON.parse(holding.document) as Record<string, unknown>)
            : undefined;
        } catch {
          credential = undefined;
        }
        const reason = credential
          ? embeddable(credential)
          : 'It is held as a VC-JWT; CLR 2.0 embeds credentials as JSON with an embedded proof only.';
        if (reason) {
          leftOut.push({ holdingId, name, reason });
          return undefined;
        }
        return credential;
      };
      const destination = json(awarded.credentialId!, version.definition.title);
      if (!destination) throw conflict('The stacked credential cannot be embedded in a CLR 2.0 transcript.');
      const components = awarded.components
        .map((c) => ({ key: c.component, credential: json(c.holdingId, c.name) }))
        .filter((c): c is { key: string; credential: Record<string, unknown> } => c.credential !== undefined);
      const unsigned = pathwayClr({
        id: `urn:uuid:${randomUUID()}`,
        issuer: deps.instance.issuer(),
        learnerEmail: user.email,
        pathwayTitle: version.definition.title,
        destination,
        components,
        prerequisites: version.definition.prerequisites,
        validFrom: nowSeconds(),
      });
      if (leftOut.length) unsigned.partial = true;
      return { clr: await deps.instance.sign(unsigned), leftOut };
    },

    /** A published micro-credential as an ELM v3 Qualification (public, as the catalog entry is). */
    async elmDefinition(achievementId: string): Promise<ElmExport> {
      if (!uuidPattern.test(achievementId)) throw notFound('That micro-credential');
      if (!deps.publishedAchievement) throw new Error('Pathways cannot read the catalog: no port is wired.');
      const achievement = await deps.publishedAchievement(achievementId);
      return checkedElm(elmQualification(achievement, achievement.creator));
    },

    elmHolding,

    /** The stacked credential of a pathway the learner was awarded, with its components, as ELM v3. */
    async elmPathway(learner: ElmLearner & { email: string }, pathwayId: string): Promise<ElmExport> {
      if (!uuidPattern.test(pathwayId)) throw notFound('That pathway');
      const awarded = (await store.awardsOf(learner.id))
        .filter((a) => a.pathwayId === pathwayId && a.state === 'issued' && a.credentialId)
        .sort((a, b) => b.version - a.version)[0];
      if (!awarded) {
        throw conflict('You have not been awarded this pathway yet: the ELM export holds the stacked credential.');
      }
      return elmHolding(learner, awarded.credentialId!);
    },

    flags: async (orgId: string, id: string) => {
      await get(orgId, id);
      return store.flags(orgId, id);
    },

    /** The issuer's decision on a flagged stacked credential: revoke it (through issuance) or keep it; recorded. */
    async decide(
      orgId: string,
      pathwayId: string,
      flagId: string,
      decision: { decision: 'revoke' | 'keep'; note?: string | undefined },
      userId: string,
    ) {
      await get(orgId, pathwayId);
      const flag = uuidPattern.test(flagId)
        ? (await store.flags(orgId, pathwayId)).find((f) => f.id === flagId)
        : undefined;
      if (!flag) throw notFound('That flag');
      if (flag.decision) throw conflict(`This flag was already decided: ${flag.decision}.`);
      if (decision.decision === 'revoke' && flag.credentialId) {
        if (!deps.revoke) throw new Error('Pathways cannot revoke: no issuance port is wired.');
        await deps.revoke(
          userId,
          orgId,
          flag.credentialId,
          decision.note?.trim() || `A component credential was revoked: ${flag.reason}`,
        );
      }
      const done = await store.decide(orgId, flagId, {
        decision: decision.decision,
        note: decision.note?.trim() || null,
        decidedBy: userId,
      });
      if (!done) throw conflict('This flag was decided at the same time; reload.');
      return { id: flagId, decision: decision.decision };
    },
  };
}

export type Pathways = ReturnType<typeof createPathways>;
