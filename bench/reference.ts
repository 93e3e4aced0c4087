import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { bundledContexts, contextUrls } from '../src/vc/contexts.js';
import type { DidDocument } from '../src/vc/did.js';
import { secretKeyToMultibase, type Ed25519KeyPair } from '../src/vc/multikey.js';

/**
 * The reference stack: Digital Bazaar's @digitalbazaar/vc with the eddsa-rdfc-2022 cryptosuite (jsonld.js +
 * rdf-canonize underneath), given the same contexts, key and `created` as Skillproof, from memory.
 */
export async function referenceStack(pair: Ed25519KeyPair, verificationMethod: string, didDocument: DidDocument) {
  const method = didDocument.verificationMethod![0]!;
  const key = await Ed25519Multikey.from({
    '@context': contextUrls.multikey,
    id: verificationMethod,
    controller: method.controller,
    publicKeyMultibase: pair.publicKeyMultibase,
    secretKeyMultibase: secretKeyToMultibase(pair.privateKey!),
  });
  const documents = new Map<string, unknown>([
    ...bundledContexts,
    [didDocument.id, didDocument],
    [verificationMethod, { '@context': contextUrls.multikey, ...method }],
  ]);
  const documentLoader = async (url: string) => {
    const document = documents.get(url);
    if (document === undefined) throw new Error(`offline loader: ${url} not found`);
    return { contextUrl: null, documentUrl: url, document };
  };
  const checkStatus = async () => ({ verified: true });
  return {
    async sign(credential: Record<string, unknown>, created: string): Promise<Record<string, unknown>> {
      const suite = new DataIntegrityProof({ signer: key.signer(), date: created, cryptosuite });
      return vc.issue({ credential: structuredClone(credential), suite, documentLoader });
    },
    async verify(credential: Record<string, unknown>): Promise<boolean> {
      const suite = new DataIntegrityProof({ cryptosuite });
      const result = await vc.verifyCredential({ credential, suite, documentLoader, checkStatus });
      return result.verified === true;
    },
  };
}
