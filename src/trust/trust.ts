import { orgDid, orgIdOfDid } from '../keys/identity.js';
import { invalid, notFound } from '../platform/errors.js';
import type { TrustedIssuer } from './check.js';
import { parseDccRegistry } from './registry.js';
import type { RegistryRecord, TrustStore } from './store.js';

export type { IssuerTrust, TrustedIssuer } from './check.js';
export type { RegistryRecord } from './store.js';

/**
 * The registry of trusted issuers of one instance: its own organizations, which it knows first-hand, and the
 * registries an instance admin imported. Plain functions over a store; no HTTP, no SQL.
 */
export interface TrustDeps {
  store: TrustStore;
  publicUrl: string;
  /** An organization's name, or undefined when there is no such organization. */
  orgName: (orgId: string) => Promise<string | undefined>;
  /**
   * Runs after the imported registries changed (the verifier drops what it remembered; rankings that weigh
   * trusted issuers are recomputed): awaited, so a change is answered once what follows from it is done.
   */
  onChanged?: () => void | Promise<void>;
}

export interface PublicIssuer {
  did: string;
  name: string;
  registry: string;
  url: string | null;
  location: string | null;
  local: boolean;
}

export const registryNameLimit = 120;

export function createTrust(deps: TrustDeps) {
  const host = new URL(deps.publicUrl).host;
  /** What the verification messages call this instance's own list. */
  const localRegistry = `${host} (this instance)`;

  function checkName(name: string): string {
    const trimmed = name.trim();
    const control = [...trimmed].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
    if (!trimmed || trimmed.length > registryNameLimit || control) {
      throw invalid(`A registry name has 1 to ${registryNameLimit} characters and no control characters.`, {
        field: 'name',
      });
    }
    return trimmed;
  }

  /** Imports a registry file under a name; importing the same name again replaces its entries. */
  async function importRegistry(
    name: string,
    file: unknown,
    importedBy: string | null,
  ): Promise<{ registry: RegistryRecord; replaced: boolean }> {
    const registryName = checkName(name);
    const parsed = parseDccRegistry(file);
    const saved = await deps.store.saveRegistry({
      name: registryName,
      meta: parsed.meta,
      entries: parsed.entries,
      importedBy,
    });
    await deps.onChanged?.();
    return { registry: saved.record, replaced: saved.replaced };
  }

  async function deleteRegistry(name: string): Promise<void> {
    if (!(await deps.store.deleteRegistry(name))) throw notFound(`The registry "${name}"`);
    await deps.onChanged?.();
  }

  /** Who issues here, then who the imported registries list, in the order a lookup prefers them. */
  async function listIssuers(): Promise<PublicIssuer[]> {
    const local = (await deps.store.localIssuers()).map((org) => ({
      did: orgDid(deps.publicUrl, org.orgId),
      name: org.name,
      registry: localRegistry,
      url: null,
      location: null,
      local: true,
    }));
    const imported = (await deps.store.listIssuers()).map((issuer) => ({ ...issuer, local: false }));
    return [...local, ...imported];
  }

  /** The issuer behind a DID as this instance knows it, or undefined when nobody here vouches for it. */
  async function lookup(did: string): Promise<TrustedIssuer | undefined> {
    const orgId = orgIdOfDid(deps.publicUrl, did);
    if (orgId === null) return { name: host, registry: localRegistry, url: deps.publicUrl };
    if (orgId !== undefined) {
      const name = await deps.orgName(orgId);
      return name === undefined ? undefined : { name, registry: localRegistry };
    }
    const listed = await deps.store.findIssuer(did);
    if (!listed) return undefined;
    return {
      name: listed.name,
      registry: listed.registry,
      ...(listed.url !== null ? { url: listed.url } : {}),
      ...(listed.location !== null ? { location: listed.location } : {}),
    };
  }

  return {
    importRegistry,
    deleteRegistry,
    listRegistries: () => deps.store.listRegistries(),
    listIssuers,
    lookup,
    localRegistry,
    checkName,
    /** Tells the verifier that the imported registries changed (a refresh replaced one). */
    changed: async () => deps.onChanged?.(),
  };
}

export type Trust = ReturnType<typeof createTrust>;
