import { randomUUID } from 'node:crypto';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import type { Profile } from '../vc/types.js';
import {
  checkDefinition,
  humanCodePattern,
  toAchievement,
  type DefinitionCheck,
  type MicroCredentialDefinition,
} from './definition.js';
import { checkBadgeImage, colourOf, generatedBadgeSvg } from './badges.js';
import { checkProfile, toProfile, type IssuerProfileDetails } from './profile.js';
import type { AchievementRecord, CatalogQuery, CatalogStore, PublishedVersion } from './store.js';

export type { AchievementRecord, CatalogOffer, PublishedVersion } from './store.js';

/** A code the issuer typed, upper case; undefined when blank; 400 when it is not a code. */
function chosenCode(value: string | undefined): string | undefined {
  const code = value?.trim().toUpperCase();
  if (!code) return undefined;
  if (!humanCodePattern.test(code)) {
    throw invalid('The code has 2 to 24 letters, digits and dashes, such as SQL-101.', { field: 'humanCode' });
  }
  return code;
}

const codeTaken = (code: string) =>
  new DomainError('conflict', `Another of your micro-credentials has the code ${code}: choose another.`, {
    field: 'humanCode',
  });

const minorWords = new Set(['and', 'the', 'with', 'for', 'from', 'into', 'onto', 'over', 'von', 'und', 'des', 'les']);

/**
 * The next free code for a title: the initials of its first words (SQL for "Data Analysis with SQL" gives
 * DAS), or MC, a dash and a number from 001 (DAS-001, DAS-002…).
 */
export function nextCode(title: string, taken: Set<string>): string {
  const words = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9\s]/g, ' ')
    .split(/\s+/)
    .filter((w) => (w.length > 2 && !minorWords.has(w.toLowerCase())) || /\d/.test(w));
  const initials = words
    .slice(0, 4)
    .map((w) => w[0]!.toUpperCase())
    .join('');
  const stem = initials.length >= 2 ? initials : 'MC';
  for (let n = 1; ; n++) {
    const code = `${stem}-${String(n).padStart(3, '0')}`;
    if (!taken.has(code)) return code;
  }
}

export interface CatalogDeps {
  store: CatalogStore;
  publicUrl: string;
  /** The issuer DID of an organization. */
  didOf: (orgId: string) => string;
  orgName: (orgId: string) => Promise<string>;
}

/**
 * Issuers' micro-credentials: drafts that may be incomplete, and immutable published versions. A published
 * achievement is never edited in place: publishing again makes the next version, and credentials keep
 * pointing at the version they were issued for.
 */
export function createCatalog(deps: CatalogDeps) {
  const { store } = deps;
  const versionUrl = (id: string, version: number) => `${deps.publicUrl}/achievements/${id}/versions/${version}`;

  async function issuerProfile(orgId: string): Promise<Profile> {
    return toProfile(deps.didOf(orgId), await deps.orgName(orgId), (await store.profile(orgId)) ?? {});
  }

  async function saveProfile(orgId: string, details: IssuerProfileDetails): Promise<Profile> {
    const issues = checkProfile(details);
    if (issues.length) throw invalid(issues.map((i) => i.message).join(' '), { field: issues[0]!.field });
    await store.saveProfile(orgId, details);
    return issuerProfile(orgId);
  }

  async function get(orgId: string, id: string): Promise<AchievementRecord> {
    const record = await store.find(orgId, id);
    if (!record) throw notFound('That micro-credential');
    return record;
  }

  async function create(
    orgId: string,
    draft: MicroCredentialDefinition,
  ): Promise<{ record: AchievementRecord; check: DefinitionCheck }> {
    const id = randomUUID();
    const chosen = chosenCode(draft.humanCode);
    // A code of its own, or the next free one from the title; a namesake made at the same time takes the next.
    for (let tries = 0; ; tries++) {
      const code = chosen ?? nextCode(draft.title, await store.codes(orgId));
      if (await store.insert({ id, orgId, code, draft })) break;
      if (chosen || tries >= 5) throw codeTaken(chosen ?? code);
    }
    const record = await get(orgId, id);
    return { record, check: checkDefinition(record.draft) };
  }

  async function updateDraft(orgId: string, id: string, draft: MicroCredentialDefinition) {
    const record = await get(orgId, id);
    if (record.status === 'retired') throw conflict('A retired micro-credential cannot change.');
    const code = chosenCode(draft.humanCode) ?? record.code;
    if (!(await store.saveDraft(orgId, id, code, draft))) throw codeTaken(code);
    const saved = await get(orgId, id);
    return { record: saved, check: checkDefinition(saved.draft) };
  }

  const badgeUrl = (id: string) => `${deps.publicUrl}/badge-images/${id}`;
  const generatedBadgeUrl = (achievementId: string) => `${deps.publicUrl}/achievements/${achievementId}/badge.svg`;

  /** Stores a badge image the issuer uploaded, after checking its bytes; its address, for the draft's image. */
  async function uploadBadge(orgId: string, bytes: Uint8Array): Promise<{ id: string; url: string }> {
    const check = checkBadgeImage(bytes);
    if (!check.ok) throw invalid(check.message, { field: 'image' });
    const id = randomUUID();
    await store.insertBadgeImage({ id, orgId, mediaType: check.mediaType, bytes, sha256: check.sha256 });
    return { id, url: badgeUrl(id) };
  }

  async function badgeImage(id: string) {
    const image = await store.badgeImage(id);
    if (!image) throw notFound('That badge image');
    return image;
  }

  /** The badge drawn for a published micro-credential: its code and its issuer's name, in the issuer's colour. */
  async function generatedBadge(achievementId: string): Promise<string> {
    const [latest] = await store.versionsOf(achievementId);
    if (!latest) throw notFound('That micro-credential');
    const profile = (await store.profile(latest.orgId)) ?? {};
    return generatedBadgeSvg({
      code: latest.code,
      title: latest.definition.title,
      issuerName: latest.orgName,
      colour: colourOf(latest.orgId, profile.colour),
    });
  }

  /** Publishes the draft as the next version, if it has no errors. */
  async function publish(orgId: string, id: string): Promise<PublishedVersion> {
    const record = await get(orgId, id);
    if (record.status === 'retired') throw conflict('A retired micro-credential cannot be published again.');
    const check = checkDefinition(record.draft);
    if (check.errors.length) {
      throw new DomainError(
        'invalid-input',
        `Fix these before publishing: ${check.errors.map((e) => e.message).join(' ')}`,
        {
          field: check.errors[0]!.field,
        },
      );
    }
    const version = record.latestVersion + 1;
    // Without an image of its own, the achievement shows the badge drawn for it.
    const achievement = toAchievement(
      { ...record.draft, image: record.draft.image ?? generatedBadgeUrl(id) },
      {
        id: versionUrl(id, version),
        version,
        creator: await issuerProfile(orgId),
      },
    );
    const skillCodes = record.draft.skills.map((s) => s.code);
    if (
      !(await store.publish(orgId, id, record.latestVersion, { definition: record.draft, achievement, skillCodes }))
    ) {
      throw conflict('Someone published this micro-credential at the same time; reload and try again.');
    }
    return (await store.version(id, version))!;
  }

  async function retire(orgId: string, id: string): Promise<AchievementRecord> {
    const record = await get(orgId, id);
    if (record.status !== 'published') throw conflict('Only a published micro-credential can be retired.');
    await store.setStatus(orgId, id, 'retired');
    return get(orgId, id);
  }

  async function version(id: string, number: number): Promise<PublishedVersion> {
    const found = await store.version(id, number);
    if (!found) throw notFound('That version of the micro-credential');
    return found;
  }

  /** The newest published version of an achievement that is open for earning (not retired). */
  async function current(id: string): Promise<PublishedVersion> {
    const [latest] = await store.versionsOf(id);
    if (!latest) throw notFound('That micro-credential');
    if (latest.status === 'retired') throw conflict('This micro-credential is retired and can no longer be earned.');
    return latest;
  }

  return {
    issuerProfile,
    current,
    profileDetails: async (orgId: string) => (await store.profile(orgId)) ?? {},
    saveProfile,
    create,
    get,
    list: (orgId: string) => store.list(orgId),
    updateDraft,
    publish,
    retire,
    version,
    versions: (id: string) => store.versionsOf(id),
    search: (query: CatalogQuery) => store.search(query),
    /** Every published micro-credential, briefly (reskilling advice plans from these). */
    offers: () => store.offers(),
    /** Changes whenever the catalog does. */
    offersStamp: () => store.offersStamp(),
    /** The achievement id an address of this instance names (…/achievements/ID or …/ID/versions/N), if any. */
    achievementIdOf(address: string): string | undefined {
      const prefix = `${deps.publicUrl}/achievements/`;
      if (!address.startsWith(prefix)) return undefined;
      const match = /^([0-9a-f-]{36})(?:\/versions\/\d+)?\/?$/i.exec(address.slice(prefix.length));
      return match?.[1];
    },
    versionUrl,
    uploadBadge,
    badgeImage,
    generatedBadge,
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
