import { randomUUID } from 'node:crypto';
import type { Keys } from '../../keys/keys.js';
import { DomainError } from '../../platform/errors.js';
import { nowSeconds, signEddsaRdfc2022 } from '../../vc/data-integrity.js';
import type { VerifierInput } from '../../vc/verify-input.js';
import type { Check } from '../../vc/verify.js';
import { walletLimits, type Holding, type Wallet } from '../wallet.js';
import { walletArchive } from './archive.js';
import { createExporter, type ExportFormat } from './formats.js';
import { buildTranscript, embeddable } from './transcript.js';

export interface WalletExportDeps {
  wallet: Pick<Wallet, 'holding' | 'holdings'>;
  keys: Pick<Keys, 'signer' | 'did'>;
  verifier: { verify(input: VerifierInput): Promise<{ verified: boolean; checks: Check[] }> };
  publicUrl: string;
  now?: () => Date;
}

export interface LeftOut {
  holdingId: string;
  name: string | null;
  reason: string;
}

export interface Transcript {
  transcript: Record<string, unknown>;
  included: string[];
  leftOut: LeftOut[];
}

/** A learner's exports: one credential in a format, all of them as a zip, a signed CLR 2.0 transcript. */
export function createWalletExport(deps: WalletExportDeps) {
  const now = deps.now ?? (() => new Date());
  const exporter = createExporter({ keys: deps.keys });

  /** Why a holding cannot go in a transcript (checked live: it must still verify), or undefined. */
  async function transcriptProblem(holding: Holding): Promise<string | undefined> {
    if (holding.format === 'jwt') {
      return 'It is held as a VC-JWT; CLR 2.0 embeds credentials as JSON with an embedded proof only.';
    }
    if (holding.format === 'ob2') return 'It is an Open Badges 2.0 assertion; CLR 2.0 embeds Open Badges 3.0 only.';
    let credential: Record<string, unknown>;
    try {
      credential = JSON.parse(holding.document) as Record<string, unknown>;
    } catch {
      return 'Its stored document is not readable JSON.';
    }
    const problem = embeddable(credential);
    if (problem) return problem;
    const result = await deps.verifier.verify({ json: credential });
    if (!result.verified) {
      const failed = result.checks.find((c) => c.status === 'failed');
      return `It does not verify now${failed ? `: ${failed.message}` : '.'}`;
    }
    return undefined;
  }

  async function transcript(user: { id: string; email: string }, holdingIds?: string[]): Promise<Transcript> {
    const all = await deps.wallet.holdings(user.id);
    if (holdingIds === undefined && all.length > walletLimits.maxExportHoldings) {
      throw new DomainError(
        'too-large',
        `A transcript holds at most ${walletLimits.maxExportHoldings} credentials and your wallet has ${all.length}: ` +
          'choose which ones to include.',
      );
    }
    const chosen =
      holdingIds === undefined
        ? all
        : await Promise.all([...new Set(holdingIds)].map((id) => deps.wallet.holding(user.id, id)));
    const included: Holding[] = [];
    const leftOut: LeftOut[] = [];
    for (const holding of chosen) {
      const reason = await transcriptProblem(holding);
      if (reason) leftOut.push({ holdingId: holding.id, name: holding.name, reason });
      else included.push(holding);
    }
    if (included.length === 0) {
      const why = leftOut.map((l) => `${l.name ?? l.holdingId}: ${l.reason}`).join(' ');
      throw new DomainError(
        'conflict',
        chosen.length === 0
          ? 'Your wallet holds no credentials yet, so there is nothing to put in a transcript.'
          : `None of the chosen credentials can go in a CLR transcript. ${why}`,
      );
    }
    const signer = await deps.keys.signer(null, 'Ed25519');
    const unsigned = buildTranscript({
      id: `urn:uuid:${randomUUID()}`,
      issuer: { did: deps.keys.did(null), name: `Skillproof (${new URL(deps.publicUrl).host})`, url: deps.publicUrl },
      learnerEmail: user.email,
      credentials: included.map((h) => JSON.parse(h.document) as Record<string, unknown>),
      partial: included.length < all.length,
      validFrom: nowSeconds(),
    });
    const signed = await signEddsaRdfc2022(unsigned, signer.privateKey, {
      verificationMethod: signer.verificationMethod,
    });
    return { transcript: signed, included: included.map((h) => h.id), leftOut };
  }

  return {
    async exportOne(userId: string, holdingId: string, format: ExportFormat) {
      return exporter.exportHolding(await deps.wallet.holding(userId, holdingId), format);
    },
    async archive(userId: string): Promise<Uint8Array> {
      const holdings = await deps.wallet.holdings(userId);
      if (holdings.length > walletLimits.maxExportHoldings) {
        throw new DomainError(
          'too-large',
          `A zip holds at most ${walletLimits.maxExportHoldings} credentials and your wallet has ${holdings.length}: ` +
            'download them one by one, or remove imports you no longer need.',
        );
      }
      return walletArchive(holdings, exporter, now());
    },
    transcript,
  };
}

export type WalletExport = ReturnType<typeof createWalletExport>;
