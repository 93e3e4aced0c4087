import { randomUUID } from 'node:crypto';
import type { Identities } from '../identities/identities.js';
import type { Issuance, StoredCredential } from '../issuance/issuance.js';
import { DomainError, invalid } from '../platform/errors.js';
import { verificationFor } from '../verification/outcome.js';
import type { PlatformVerifier } from '../verification/verifier.js';
import { imageKind } from '../vc/baking.js';
import type { Check } from '../vc/verify.js';
import { inputLimits, type InputVerification } from '../vc/verify-input.js';
import { decideImport, type LearnerIdentities, type RefusalReason } from './import.js';
import type { ImportSource } from './store.js';
import type { Holding, Wallet } from './wallet.js';

/** What a learner hands in: pasted text (JSON or a JWT, or SVG markup), a URL, or a base64 PNG/SVG. */
export type ImportInput = { text: string } | { url: string } | { image: string };

export type ImportOutcome =
  | { outcome: 'stored'; holding: Holding; verification: InputVerification; expired: boolean; message: string }
  | {
      outcome: 'refused';
      status: 409 | 422;
      reason: RefusalReason;
      message: string;
      failedChecks: Check[];
      /** The holding already in the wallet, when that is why. */
      holdingId?: string;
    };

export interface WalletImportDeps {
  wallet: Wallet;
  verifier: Pick<PlatformVerifier, 'verify' | 'verifyUrl'>;
  issuance: Pick<Issuance, 'find'>;
  identities: Pick<Identities, 'didsOf' | 'emailsOf'>;
}

const tooLarge = () =>
  new DomainError(
    'too-large',
    `The credential is larger than ${inputLimits.maxDocumentBytes / 1024} KiB, the most a wallet accepts.`,
  );

/**
 * Importing into a wallet: verify what the learner handed in, check it names them (decideImport), and keep it
 * as received, never replacing what the wallet already holds.
 */
export function createWalletImport(deps: WalletImportDeps) {
  // DIDs count only once the learner proved control (DID Auth); an issuer's choice of subject id proves nothing.
  // The account's email counts only once confirmed: anyone can sign up with an address they do not hold.
  async function identitiesOf(user: {
    id: string;
    email: string;
    emailConfirmed: boolean;
  }): Promise<LearnerIdentities> {
    const [emails, dids] = await Promise.all([deps.identities.emailsOf(user.id), deps.identities.didsOf(user.id)]);
    return user.emailConfirmed
      ? { userId: user.id, emails: [user.email, ...emails], dids }
      : { userId: user.id, emails, dids, unconfirmedEmail: user.email };
  }

  async function issuedHereRecord(credentialId: string | undefined): Promise<StoredCredential | undefined> {
    if (!credentialId) return undefined;
    const record = await deps.issuance.find(credentialId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === 'not-found') return undefined;
      throw error;
    });
    // find() also takes a row id: only the credential's own id names the same credential.
    return record?.credentialId === credentialId ? record : undefined;
  }

  async function verifyInput(input: ImportInput): Promise<{ source: ImportSource; verification: InputVerification }> {
    if ('url' in input)
      return { source: 'url', verification: await verificationFor(() => deps.verifier.verifyUrl(input.url)) };
    if ('image' in input) {
      const bytes = Buffer.from(input.image, 'base64');
      if (bytes.length > 16 * inputLimits.maxDocumentBytes) throw tooLarge();
      const kind = imageKind(bytes);
      if (!kind) throw invalid('The file is neither a PNG nor an SVG image.', { field: 'image' });
      return { source: kind, verification: await verificationFor(() => deps.verifier.verify({ bytes })) };
    }
    const text = input.text.trim();
    if (Buffer.byteLength(text, 'utf8') > inputLimits.maxDocumentBytes) throw tooLarge();
    const source = text.startsWith('<') ? 'svg' : text.startsWith('{') ? 'json' : 'jwt';
    return { source, verification: await verificationFor(() => deps.verifier.verify({ text })) };
  }

  return {
    async importCredential(
      user: { id: string; email: string; emailConfirmed: boolean },
      input: ImportInput,
    ): Promise<ImportOutcome> {
      await deps.wallet.assertRoomForImport(user.id);
      const { source, verification } = await verifyInput(input);
      const parsed = verification.credential ?? {};
      const credentialId = typeof parsed.id === 'string' ? parsed.id : undefined;
      const [identities, issuedHere] = await Promise.all([identitiesOf(user), issuedHereRecord(credentialId)]);
      const decision = decideImport({
        verification,
        source,
        sourceUrl: 'url' in input ? input.url : undefined,
        identities,
        issuedHere: issuedHere && { recipientUserId: issuedHere.recipientUserId },
      });
      if (decision.outcome === 'refuse') {
        const { outcome: _outcome, ...refusal } = decision;
        return {
          outcome: 'refused',
          ...refusal,
          ...(decision.reason === 'already-held' && issuedHere ? { holdingId: issuedHere.id } : {}),
        };
      }
      const id = randomUUID();
      if ((await deps.wallet.storeImported({ ...decision.record, id, userId: user.id })) === 'duplicate') {
        const existing = (await deps.wallet.holdings(user.id)).find(
          (h) => h.imported?.digest === decision.record.digest,
        );
        return {
          outcome: 'refused',
          status: 409,
          reason: 'already-held',
          message: 'This credential is already in your wallet; the copy you have is kept as it is.',
          failedChecks: [],
          ...(existing ? { holdingId: existing.id } : {}),
        };
      }
      return {
        outcome: 'stored',
        holding: await deps.wallet.holding(user.id, id),
        verification,
        expired: decision.expired,
        message: decision.message,
      };
    },
  };
}

export type WalletImport = ReturnType<typeof createWalletImport>;
