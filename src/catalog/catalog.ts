import { randomUUID } from 'node:crypto';
import { DomainError, conflict, invalid, notFound } from '../platform/errors.js';
import type { Profile } from '../vc/types.js';
import { checkDefinition, toAchievement, type DefinitionCheck, type MicroCredentialDefinition } from './definition.js';
import { checkProfile, toProfile, type IssuerProfileDetails } from './profile.js';
import type { AchievementRecord, CatalogQuery, CatalogStore, PublishedVersion } from './store.js';

export type { AchievementRecord, CatalogOffer, PublishedVersion } from './store.js';

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
    await store.insert({ id, orgId, draft });
    return { record: await get(orgId, id), check: checkDefinition(draft) };
  }

  async function updateDraft(orgId: string, id: string, draft: MicroCredentialDefinition) {
    const record = await get(orgId, id);
    if (record.status === 'retired') throw conflict('A retired micro-credential cannot change.');
    await store.saveDraft(orgId, id, draft);
    return { record: await get(orgId, id), check: checkDefinition(draft) };
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
    const achievement = toAchievement(record.draft, {
      id: versionUrl(id, version),
      version,
      creator: await issuerProfile(orgId),
    });
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
  };
}

export type Catalog = ReturnType<typeof createCatalog>;
