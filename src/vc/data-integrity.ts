import { hash, type KeyObject } from 'node:crypto';
import { canonicalize, canonicalizeFast } from './canonicalize.js';
import { signEd25519, verifyEd25519 } from './ed25519.js';
import { answersBundledContexts, defaultDocumentLoader, type DocumentLoader } from './document-loader.js';
import { VcError } from './errors.js';
import { decodeMultibaseBase58, encodeMultibaseBase58 } from './multikey.js';

/** A Data Integrity proof (VC Data Integrity 1.0). */
export interface DataIntegrityProof {
  '@context'?: unknown;
  id?: string;
  /** DataIntegrityProof, or for reading VC 1.1 credentials the older Ed25519Signature2020. */
  type: 'DataIntegrityProof' | 'Ed25519Signature2020';
  cryptosuite: string;
  created?: string;
  expires?: string;
  verificationMethod: string;
  proofPurpose: string;
  proofValue?: string;
  challenge?: string;
  domain?: string | string[];
  nonce?: string;
  previousProof?: string | string[];
  [key: string]: unknown;
}

export const eddsaRdfc2022 = 'eddsa-rdfc-2022';

export interface ProofOptions {
  verificationMethod: string;
  proofPurpose?: string;
  /** XML Schema dateTime; defaults to now, to the second. */
  created?: string;
  challenge?: string;
  domain?: string;
  id?: string;
  previousProof?: string | string[];
}

type Secured = Record<string, unknown> & { proof?: DataIntegrityProof | DataIntegrityProof[] };

function sha256(text: string): Buffer {
  return hash('sha256', text, 'buffer');
}

/** An XML Schema dateTime to the second, as credentials and proofs carry it. */
export function toSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function nowSeconds(): string {
  return toSeconds(new Date());
}

/**
 * SHA-256 of canonical proof configurations, by their JSON: a bulk run signs with one key, one `created` per
 * second and one context list, and a verifier sees the same few configurations again and again. Only fast
 * path results are kept (they depend on nothing but the JSON), at most `proofHashLimit` of them.
 */
const proofHashes = new Map<string, Buffer>();
const proofHashLimit = 1024;

function proofConfigHash(proofConfig: object): Buffer | undefined {
  const key = JSON.stringify(proofConfig);
  const hit = proofHashes.get(key);
  if (hit) return hit;
  const canonical = canonicalizeFast(proofConfig);
  if (canonical === undefined) return undefined;
  const hash = sha256(canonical);
  if (proofHashes.size >= proofHashLimit) proofHashes.delete(proofHashes.keys().next().value!);
  proofHashes.set(key, hash);
  return hash;
}

/** The bytes an eddsa-rdfc-2022 signature covers: SHA-256(canonical proof config) ‖ SHA-256(canonical document). */
export async function hashData(
  unsecured: object,
  proofConfig: object,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<Buffer> {
  if (answersBundledContexts(documentLoader)) {
    const configHash = proofConfigHash(proofConfig);
    const canonicalDocument = configHash && canonicalizeFast(unsecured);
    if (configHash && canonicalDocument !== undefined) return Buffer.concat([configHash, sha256(canonicalDocument)]);
  }
  const [canonicalConfig, canonicalDocument] = await Promise.all([
    canonicalize(proofConfig, documentLoader),
    canonicalize(unsecured, documentLoader),
  ]);
  return Buffer.concat([sha256(canonicalConfig), sha256(canonicalDocument)]);
}

function withoutProof(document: Secured): Record<string, unknown> {
  const { proof: _proof, ...rest } = document;
  return rest;
}

/**
 * Adds an eddsa-rdfc-2022 proof (VC Data Integrity EdDSA Cryptosuites 1.0, section 3.2). With existing
 * proofs the new one joins the proof set; `previousProof` makes it a chain link, and then the proofs it
 * names are secured with the document, as the spec requires.
 */
export async function signEddsaRdfc2022<T extends object>(
  document: T,
  privateKey: KeyObject,
  options: ProofOptions,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<T & { proof: DataIntegrityProof | DataIntegrityProof[] }> {
  const secured = document as Secured;
  const existing = secured.proof === undefined ? [] : [secured.proof].flat();
  const proofConfig: DataIntegrityProof = {
    ...(options.id ? { id: options.id } : {}),
    type: 'DataIntegrityProof',
    cryptosuite: eddsaRdfc2022,
    created: options.created ?? nowSeconds(),
    verificationMethod: options.verificationMethod,
    proofPurpose: options.proofPurpose ?? 'assertionMethod',
    ...(options.challenge ? { challenge: options.challenge } : {}),
    ...(options.domain ? { domain: options.domain } : {}),
    ...(options.previousProof ? { previousProof: options.previousProof } : {}),
  };
  const unsecured = unsecuredFor(secured, existing, options.previousProof);
  const data = await hashData(unsecured, { ...proofConfig, '@context': secured['@context'] }, documentLoader);
  const proof = { ...proofConfig, proofValue: encodeMultibaseBase58(signEd25519(data, privateKey)) };
  return { ...document, proof: existing.length === 0 ? proof : [...existing, proof] };
}

/** The document a proof covers: no proofs, except the previous proofs of a chain. */
function unsecuredFor(
  secured: Secured,
  existing: DataIntegrityProof[],
  previousProof: string | string[] | undefined,
): Record<string, unknown> {
  const base = withoutProof(secured);
  if (!previousProof) return base;
  const ids = [previousProof].flat();
  const previous = ids.map((id) => {
    const found = existing.find((p) => p.id === id);
    if (!found) throw new VcError('invalid-proof', `The previous proof "${id}" is not in the document.`);
    return found;
  });
  return { ...base, proof: previous.length === 1 ? previous[0] : previous };
}

export interface ProofCheck {
  proof: DataIntegrityProof;
  verified: boolean;
  error?: string;
}

/**
 * Verifies one eddsa-rdfc-2022 proof of a secured document with the given public key (section 3.3). The
 * caller resolves the verification method and checks that it may be used for the proof's purpose.
 */
export async function verifyEddsaRdfc2022(
  secured: object,
  proof: DataIntegrityProof,
  publicKey: KeyObject,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<ProofCheck> {
  try {
    if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== eddsaRdfc2022) {
      throw new VcError('unsupported', `The proof uses ${proof.cryptosuite ?? proof.type}, not eddsa-rdfc-2022.`);
    }
    if (typeof proof.proofValue !== 'string') throw new VcError('invalid-proof', 'The proof has no proofValue.');
    const signature = decodeMultibaseBase58(proof.proofValue, 'proof value');
    if (signature.length !== 64)
      throw new VcError('invalid-proof', 'The proof value is not a 64-byte Ed25519 signature.');
    const document = secured as Secured;
    if (proof['@context'] !== undefined) checkProofContext(document['@context'], proof['@context']);
    const { proofValue: _value, ...options } = proof;
    const existing = document.proof === undefined ? [] : [document.proof].flat();
    const unsecured = unsecuredFor(document, existing, proof.previousProof);
    const data = await hashData(unsecured, { ...options, '@context': document['@context'] }, documentLoader);
    const verified = verifyEd25519(data, publicKey, signature);
    return verified ? { proof, verified } : { proof, verified, error: 'The signature does not match the document.' };
  } catch (error) {
    if (error instanceof VcError) return { proof, verified: false, error: error.message };
    throw error;
  }
}

export const ed25519Signature2020 = 'Ed25519Signature2020';

/**
 * Verifies an Ed25519Signature2020 proof (W3C CCG Ed25519 Signature 2020, as VC 1.1 credentials and OB 3.0
 * before 3.0.3 carry it): the same bytes as eddsa-rdfc-2022 (SHA-256 of the canonical proof options with the
 * document's @context, then of the canonical document without its proof), signed with Ed25519. For reading
 * only: Skillproof signs with eddsa-rdfc-2022.
 */
export async function verifyEd25519Signature2020(
  secured: object,
  proof: DataIntegrityProof,
  publicKey: KeyObject,
  documentLoader: DocumentLoader = defaultDocumentLoader,
): Promise<ProofCheck> {
  try {
    if (proof.type !== ed25519Signature2020)
      throw new VcError('unsupported', `The proof is not ${ed25519Signature2020}.`);
    if (typeof proof.proofValue !== 'string') throw new VcError('invalid-proof', 'The proof has no proofValue.');
    const signature = decodeMultibaseBase58(proof.proofValue, 'proof value');
    if (signature.length !== 64)
      throw new VcError('invalid-proof', 'The proof value is not a 64-byte Ed25519 signature.');
    const document = secured as Secured;
    const { proofValue: _value, ...options } = proof;
    const data = await hashData(
      withoutProof(document),
      { ...options, '@context': document['@context'] },
      documentLoader,
    );
    const verified = verifyEd25519(data, publicKey, signature);
    return verified ? { proof, verified } : { proof, verified, error: 'The signature does not match the document.' };
  } catch (error) {
    if (error instanceof VcError) return { proof, verified: false, error: error.message };
    throw error;
  }
}

/** A proof that carries its own @context must use the document's contexts, in the same order, from the start. */
function checkProofContext(documentContext: unknown, proofContext: unknown): void {
  const documentList = [documentContext].flat();
  const proofList = [proofContext].flat();
  const matches = proofList.every((entry, i) => JSON.stringify(entry) === JSON.stringify(documentList[i]));
  if (!matches) throw new VcError('invalid-proof', "The proof's @context does not match the document's.");
}

/** The proofs of a secured document, as a list. */
export function proofsOf(document: object): DataIntegrityProof[] {
  const proof = (document as Secured).proof;
  return proof === undefined ? [] : [proof].flat();
}
