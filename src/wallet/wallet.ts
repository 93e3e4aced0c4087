import type { Issuance, StoredCredential } from '../issuance/issuance.js';
import { DomainError, conflict, notFound } from '../platform/errors.js';
import type { ImportedCredential, NewImportedCredential, WalletStore } from './store.js';

/**
 * A learner's wallet: the credentials issued to them on this instance and those they imported, under one id
 * space (credential row ids and import ids are both UUIDs), so sharing, export and pages treat them alike.
 */
export type HoldingKind = 'issued' | 'imported';

export interface Holding {
  id: string;
  kind: HoldingKind;
  userId: string;
  format: 'ldp_vc' | 'jwt' | 'ob2';
  /** The credential as held: JSON text, or a compact JWT. */
  document: string;
  name: string | null;
  addedAt: Date;
  /** Set for credentials issued here: status, achievement and issuer facts the store knows. */
  issued?: StoredCredential;
  /** Set for imports: where it came from. */
  imported?: ImportedCredential;
}

export interface WalletDeps {
  store: WalletStore;
  issuance: Pick<Issuance, 'ofRecipient' | 'find'>;
}

function fromIssued(credential: StoredCredential): Holding {
  return {
    id: credential.id,
    kind: 'issued',
    userId: credential.recipientUserId!,
    format: credential.format,
    document: credential.document,
    name: credential.name,
    addedAt: credential.issuedAt,
    issued: credential,
  };
}

function fromImported(credential: ImportedCredential): Holding {
  return {
    id: credential.id,
    kind: 'imported',
    userId: credential.userId,
    format: credential.format,
    document: credential.document,
    name: credential.name,
    addedAt: credential.importedAt,
    imported: credential,
  };
}

/**
 * How much one wallet holds and exports. Each import is re-verified when the list is shown, and every
 * holding in a zip is drawn and baked: without a ceiling one account could make either take minutes.
 */
export const walletLimits = {
  /** Imported credentials one learner may keep (credentials issued here do not count). */
  maxImports: 1000,
  /** Holdings in one zip or one transcript. */
  maxExportHoldings: 500,
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function createWallet(deps: WalletDeps) {
  /** Any holding by id (a UUID), whoever holds it (public pages resolve shares through this); undefined if none. */
  async function find(id: string): Promise<Holding | undefined> {
    if (!uuidPattern.test(id)) return undefined;
    const issued = await deps.issuance.find(id).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not-found') return undefined;
      throw error;
    });
    if (issued?.recipientUserId) return fromIssued(issued);
    const imported = await deps.store.imported(id);
    return imported && fromImported(imported);
  }

  return {
    find,

    /** Everything a learner holds, newest first. */
    async holdings(userId: string): Promise<Holding[]> {
      const [issued, imported] = await Promise.all([deps.issuance.ofRecipient(userId), deps.store.importedOf(userId)]);
      return [...issued.map(fromIssued), ...imported.map(fromImported)].sort(
        (a, b) => b.addedAt.getTime() - a.addedAt.getTime(),
      );
    },

    /** One of the learner's own holdings; someone else's answers exactly like a missing one. */
    async holding(userId: string, id: string): Promise<Holding> {
      const found = await find(id);
      if (!found || found.userId !== userId) throw notFound('The credential');
      return found;
    },

    /** Keeps an import as received; the same document twice for one learner is 'duplicate', never replaced. */
    storeImported: (credential: NewImportedCredential) => deps.store.insertImported(credential),

    /** Refuses an import once the learner keeps as many as a wallet holds. */
    async assertRoomForImport(userId: string): Promise<void> {
      if ((await deps.store.countImported(userId)) >= walletLimits.maxImports) {
        throw conflict(
          `Your wallet already keeps ${walletLimits.maxImports} imported credentials, the most it holds. ` +
            'Remove some you no longer need before adding more.',
        );
      }
    },

    /** Removes one of the learner's imports; false when there was none. Issued credentials are not removable. */
    removeImported: (userId: string, id: string) => deps.store.deleteImported(userId, id),
  };
}

export type Wallet = ReturnType<typeof createWallet>;
