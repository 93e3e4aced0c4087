import type { Keys } from '../../keys/keys.js';
import { conflict } from '../../platform/errors.js';
import type { BakedContent } from '../../vc/baking.js';
import { VcError } from '../../vc/errors.js';
import { decodeCredentialJwt, signCredentialJwt } from '../../vc/jwt.js';
import type { Holding } from '../wallet.js';
import { badgeFacts, bakedPng, bakedSvg } from './badge-image.js';

/** What a learner can download each credential as. */
export const exportFormats = ['json', 'jwt', 'png', 'svg'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export const mediaTypes = {
  json: 'application/vc+ld+json',
  jwt: 'application/vc+jwt',
  png: 'image/png',
  svg: 'image/svg+xml',
  /** Open Badges 2.0 assertions are plain JSON-LD, not VC 2.0 credentials. */
  ob2: 'application/ld+json',
} as const;

export interface ExportedFile {
  body: Buffer;
  mediaType: string;
  /** A safe file name: ASCII letters, digits and dashes, then the extension. */
  filename: string;
}

/** Why a format cannot be had for a holding, or undefined when it can. Pure: the menu and the routes agree. */
export function unavailableReason(
  holding: Pick<Holding, 'format' | 'kind' | 'document'>,
  format: ExportFormat,
): string | undefined {
  if (holding.format === 'ob2') {
    return format === 'json'
      ? undefined
      : 'This is an Open Badges 2.0 assertion: it can be downloaded only as the JSON it was received as.';
  }
  if (holding.format === 'jwt' && format === 'json') {
    let plain: boolean;
    try {
      plain = decodeCredentialJwt(holding.document).format === 'vc+jwt';
    } catch {
      plain = false;
    }
    return plain
      ? undefined
      : 'This credential is secured as a VC-JWT: its JSON alone carries no proof and would not verify. Download the JWT or a baked image instead.';
  }
  if (holding.format === 'ldp_vc' && format === 'jwt' && holding.kind === 'imported') {
    return 'This credential was imported with a Data Integrity proof; only the issuer can sign another format of it.';
  }
  return undefined;
}

/** A file name from the achievement's name: safe in a header and on any file system. */
export function safeFilename(name: string | null | undefined, extension: string): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `${slug || 'credential'}.${extension}`;
}

type Json = Record<string, unknown>;

export interface ExporterDeps {
  keys: Pick<Keys, 'signer'>;
}

/** Turns a holding into each download format; signs a VC-JWT twin only of credentials issued here. */
export function createExporter(deps: ExporterDeps) {
  /** The credential (JSON) and what to bake, from a holding as held. */
  function contentOf(holding: Holding): { credential: Json; baked: BakedContent } {
    if (holding.format === 'jwt') {
      const decoded = decodeCredentialJwt(holding.document);
      return { credential: decoded.credential, baked: { kind: 'jwt', jwt: holding.document.trim() } };
    }
    const credential = JSON.parse(holding.document) as Json;
    return { credential, baked: { kind: 'json', credential } };
  }

  /**
   * A VC-JWT of a credential issued here as ldp_vc: the same credential (same id, dates and status entry)
   * without its Data Integrity proof, signed with the issuing organization's current Ed25519 key.
   */
  async function jwtTwin(holding: Holding): Promise<string> {
    const { proof: _proof, ...unsecured } = JSON.parse(holding.document) as Json;
    const signer = await deps.keys.signer(holding.issued!.orgId, 'Ed25519');
    return signCredentialJwt(unsecured, {
      privateKey: signer.privateKey,
      algorithm: 'EdDSA',
      kid: signer.verificationMethod,
    });
  }

  async function exportHolding(holding: Holding, format: ExportFormat): Promise<ExportedFile> {
    const reason = unavailableReason(holding, format);
    if (reason) throw conflict(reason);
    const name = holding.name;
    if (holding.format === 'ob2') {
      return {
        body: Buffer.from(holding.document, 'utf8'),
        mediaType: mediaTypes.ob2,
        filename: safeFilename(name, 'json'),
      };
    }
    try {
      switch (format) {
        case 'json': {
          const body =
            holding.format === 'jwt'
              ? JSON.stringify(decodeCredentialJwt(holding.document).payload, null, 2)
              : holding.document;
          return { body: Buffer.from(body, 'utf8'), mediaType: mediaTypes.json, filename: safeFilename(name, 'json') };
        }
        case 'jwt': {
          const jwt = holding.format === 'jwt' ? holding.document.trim() : await jwtTwin(holding);
          return { body: Buffer.from(jwt, 'utf8'), mediaType: mediaTypes.jwt, filename: safeFilename(name, 'jwt') };
        }
        case 'png': {
          const { credential, baked } = contentOf(holding);
          return {
            body: await bakedPng(badgeFacts(credential), baked),
            mediaType: mediaTypes.png,
            filename: safeFilename(name, 'png'),
          };
        }
        case 'svg': {
          const { credential, baked } = contentOf(holding);
          return {
            body: Buffer.from(await bakedSvg(badgeFacts(credential), baked), 'utf8'),
            mediaType: mediaTypes.svg,
            filename: safeFilename(name, 'svg'),
          };
        }
      }
    } catch (error) {
      // A stored document we cannot read (an import that decodes no more): say so, never a 500.
      if (error instanceof VcError || error instanceof SyntaxError) {
        throw conflict(`This credential cannot be exported as ${format}: ${error.message}`);
      }
      throw error;
    }
  }

  return { exportHolding };
}

export type Exporter = ReturnType<typeof createExporter>;
