import type { KeyObject } from 'node:crypto';
import {
  proofsOf,
  verifyEddsaRdfc2022,
  eddsaRdfc2022,
  type DataIntegrityProof,
  type ProofCheck,
} from './data-integrity.js';
import type { MethodResolver, ResolvedMethod } from './did.js';
import { defaultDocumentLoader, unknownContexts, type DocumentLoader } from './document-loader.js';
import { VcError } from './errors.js';
import type { Ob2Fetcher } from './ob2.js';
import { checkDataModel } from './data-model.js';
import { schemaFor, validateSchema, type SchemaIssue, type SchemaName } from './schemas.js';
import { readStatus, type StatusListEntry } from './status-list.js';
import { summarize } from './summary.js';

export type { Check, CheckId, CheckStatus, VerificationResult } from './checks.js';
import type { Check, CheckId, CheckStatus, VerificationResult } from './checks.js';

/**
 * One verification pipeline for every caller (API, CLI, wallet, public pages). It never stops at the first
 * problem: each step reports a check, so a person sees everything that is wrong, and the caller decides.
 */
export interface VerifierDeps {
  resolveMethod: MethodResolver;
  /** Fetches a status list credential by URL; without it status is reported as not checked. */
  fetchStatusList?: (url: string) => Promise<unknown>;
  documentLoader?: DocumentLoader;
  now?: () => Date;
  /** For Open Badges 2.0 assertions: fetches badge classes, issuers, keys and hosted assertions. */
  fetchOb2?: Ob2Fetcher;
  /** Remembers the outcomes that depend on nothing but a credential's content (see `createVerifyMemo`). */
  memo?: VerifyMemo;
}

/**
 * The checks whose outcome is a pure function of a credential's exact content (data model, vocabularies,
 * schema) and of the signing key (the signature), remembered for a credential seen again: employer
 * platforms verify the same credentials over and over. Keyed by the credential's full JSON (proof included)
 * and, for signatures, by the key object the verifier resolved for this request, so a changed key or a
 * changed byte misses. What depends on time or on the issuer's current state is never remembered: key
 * resolution, dates and status are checked on every verification.
 */
export interface VerifyMemo {
  /** By credential text: its content checks, and its signature checks per key (by proof position). */
  entries: BoundedMap<MemoEntry>;
}

export interface MemoEntry {
  content: ContentChecks;
  signatures: Map<KeyObject, ProofCheck[]>;
}

/** Larger credentials are verified in full every time: the memo holds at most `limit` texts of this size. */
const memoTextLimit = 32 * 1024;
/** Keys remembered per credential text (one in practice: the text names its verification method). */
const memoKeysPerText = 4;

interface ContentChecks {
  modelProblems: string[];
  unknown: string[];
  schema: SchemaName | undefined;
  issues: SchemaIssue[];
}

/** A map that forgets its oldest entries past `limit`. */
class BoundedMap<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly limit: number) {}
  get(key: string): T | undefined {
    return this.entries.get(key);
  }
  set(key: string, value: T): void {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, value);
  }
}

/** A memo for one verifier, of at most `limit` credentials. */
export function createVerifyMemo(limit = 1000): VerifyMemo {
  return { entries: new BoundedMap(limit) };
}

function contentChecks(credential: Credential): ContentChecks {
  const schema = schemaFor(credential);
  return {
    modelProblems: checkDataModel(credential),
    unknown: unknownContexts(credential),
    schema,
    issues: schema ? validateSchema(schema, credential) : [],
  };
}

export interface VerifyOptions {
  /** Check credentialStatus (default true; off when verifying a status list itself). */
  checkStatus?: boolean;
  /** The proof purpose expected (assertionMethod for credentials). */
  proofPurpose?: string;
  /** For presentations: the challenge and domain the proof must carry. */
  challenge?: string;
  domain?: string;
  /** The outcome of a proof checked outside the document (a VC-JWT's signature). */
  externalProof?: ProofOutcome;
}

type Credential = Record<string, unknown>;

export function issuerIdOf(credential: Credential): string | undefined {
  const issuer = credential.issuer;
  if (typeof issuer === 'string') return issuer;
  if (issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string') {
    return (issuer as { id: string }).id;
  }
  return undefined;
}

function dateOf(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export async function verifyCredential(
  input: unknown,
  deps: VerifierDeps,
  options: VerifyOptions = {},
): Promise<VerificationResult> {
  const checks: Check[] = [];
  const add = (id: CheckId, status: CheckStatus, message: string) => checks.push({ id, status, message });
  const now = deps.now?.() ?? new Date();
  const documentLoader = deps.documentLoader ?? defaultDocumentLoader;

  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    add('data-model', 'failed', 'This is not a credential: a credential is a JSON object.');
    return { verified: false, checks };
  }
  const credential = input as Credential;
  // The credential's exact content, as the memo's key (only when there is a memo).
  const json = deps.memo ? JSON.stringify(credential) : undefined;
  const text = json !== undefined && json.length <= memoTextLimit ? json : undefined;
  let entry = text === undefined ? undefined : deps.memo!.entries.get(text);
  if (!entry) {
    entry = { content: contentChecks(credential), signatures: new Map() };
    if (text !== undefined) deps.memo!.entries.set(text, entry);
  }
  const { modelProblems, unknown, schema, issues } = entry.content;

  if (modelProblems.length) add('data-model', 'failed', modelProblems.join(' '));
  else add('data-model', 'passed', 'The credential has the structure of a W3C Verifiable Credential 2.0.');

  if (unknown.length) {
    add(
      'context',
      'failed',
      `The credential uses vocabularies Skillproof does not know (${unknown.join(', ')}), so its meaning cannot be checked.`,
    );
  } else {
    add('context', 'passed', 'Every vocabulary the credential uses is a known, published one.');
  }

  if (schema) {
    if (issues.length) {
      const listed = issues
        .slice(0, 5)
        .map((i) => `${i.path} ${i.message}`)
        .join('; ');
      add(
        'schema',
        'failed',
        `The credential does not follow the official ${schema} format: ${listed}${issues.length > 5 ? '; …' : ''}.`,
      );
    } else {
      add('schema', 'passed', `The credential follows the official Open Badges ${schema} format.`);
    }
  } else {
    add('schema', 'skipped', 'Not an Open Badges or CLR credential, so no badge format applies.');
  }

  const issuerId = issuerIdOf(credential);
  const proofResult: ProofOutcome = options.externalProof
    ? options.externalProof
    : unknown.length
      ? { status: 'failed', message: 'The signature cannot be checked while the credential uses unknown vocabularies.' }
      : await checkProofs(
          credential,
          issuerId,
          deps,
          documentLoader,
          options,
          now,
          text === undefined ? undefined : entry,
        );
  add('proof', proofResult.status, proofResult.message);
  if (proofResult.issuer) add('issuer', proofResult.issuer.status, proofResult.issuer.message);
  else add('issuer', 'skipped', 'The issuer could not be checked without a valid signature.');

  const validFrom = dateOf(credential.validFrom ?? credential.issuanceDate);
  if (validFrom && validFrom > now)
    add('valid-from', 'failed', `The credential is not valid yet: it starts on ${day(validFrom)}.`);
  else if (validFrom) add('valid-from', 'passed', `Valid since ${day(validFrom)}.`);
  else add('valid-from', 'passed', 'The credential has no start date.');

  const validUntil = dateOf(credential.validUntil ?? credential.expirationDate);
  if (validUntil && validUntil <= now) add('valid-until', 'failed', `The credential expired on ${day(validUntil)}.`);
  else if (validUntil) add('valid-until', 'passed', `Valid until ${day(validUntil)}.`);
  else add('valid-until', 'passed', 'The credential does not expire.');

  if (options.checkStatus !== false) {
    const status = await checkStatus(credential, issuerId, deps);
    add('status', status.status, status.message);
  }

  return {
    verified: !checks.some((c) => c.status === 'failed'),
    checks,
    summary: summarize(credential),
  };
}

export interface ProofOutcome {
  status: CheckStatus;
  message: string;
  issuer?: { status: CheckStatus; message: string };
}

const retiredSuites: Record<string, string> = {
  'eddsa-2022': 'uses "eddsa-2022", the retired draft name of eddsa-rdfc-2022',
  'eddsa-rdf-2022': 'uses "eddsa-rdf-2022", a misspelling of eddsa-rdfc-2022',
};

/** What one proof's check found: the key it was verified with, or why it was not. */
type ProofVerdict =
  | { ok: true; resolved: ResolvedMethod }
  | { ok: false; problem: string; /** A suite Skillproof does not check: reported, not counted. */ unchecked?: true };

/**
 * Checks a document's Data Integrity proofs; `issuerId` is the controller that must have signed (a
 * presentation's holder), or `any` when the document names none.
 *
 * A document may carry a proof set (several independent proofs) and proof chains (a proof whose
 * `previousProof`, a string or an array, names proofs it secures too). Per VC Data Integrity 1.0 §4.4–4.6,
 * every proof must verify, and every `previousProof` must name a proof of the set; on top of that, one of the
 * proofs must be the issuer's. A proof of a suite Skillproof does not check (another party's, such as the
 * 1EdTech validator's multiple-proof fixture) is reported and not counted; it never makes a document pass.
 */
export async function checkProofs(
  credential: Credential,
  issuerId: string | undefined | 'any',
  deps: VerifierDeps,
  documentLoader: DocumentLoader,
  options: VerifyOptions,
  now: Date,
  memo?: MemoEntry,
): Promise<ProofOutcome> {
  const proofs = proofsOf(credential);
  if (proofs.length === 0) return { status: 'failed', message: 'The credential is not signed: it has no proof.' };
  const structure = proofSetProblems(proofs);
  if (structure.length) return { status: 'failed', message: structure.join(' ') };

  const problems: string[] = [];
  const unchecked: string[] = [];
  const signers: ResolvedMethod[] = [];
  for (const [position, proof] of proofs.entries()) {
    const verdict = await checkOneProof(credential, proof, position, deps, documentLoader, options, now, memo);
    if (verdict.ok) signers.push(verdict.resolved);
    else {
      const line = proofs.length > 1 ? `${proofName(proof, position)}: ${verdict.problem}` : verdict.problem;
      (verdict.unchecked ? unchecked : problems).push(line);
    }
  }
  if (problems.length) {
    const prefix = proofs.length > 1 ? `Every signature of a proof set or chain must be valid. ` : '';
    return { status: 'failed', message: prefix + problems.join(' ') };
  }
  if (signers.length === 0) return { status: 'failed', message: unchecked.join(' ') || 'No valid signature.' };
  const outcome = issuerOutcome(signers, issuerId, signers.length);
  if (unchecked.length && outcome.status === 'passed') {
    outcome.message += ` Other signatures were not counted: ${unchecked.join(' ')}`;
  }
  return outcome;
}

/** How a message names a proof of a set: its id, or its place. */
function proofName(proof: DataIntegrityProof, position: number): string {
  return typeof proof?.id === 'string' ? `Signature ${proof.id}` : `Signature ${position + 1}`;
}

/** Problems of a proof set's shape: proofs that are not objects, repeated ids, and dangling previousProof links. */
function proofSetProblems(proofs: DataIntegrityProof[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  for (const proof of proofs) {
    if (!proof || typeof proof !== 'object' || Array.isArray(proof)) {
      problems.push('A proof is not an object.');
      continue;
    }
    if (typeof proof.id === 'string') {
      if (ids.has(proof.id)) problems.push(`Two proofs have the id ${proof.id}.`);
      ids.add(proof.id);
    }
  }
  for (const proof of proofs) {
    if (!proof || typeof proof !== 'object' || proof.previousProof === undefined) continue;
    const previous = [proof.previousProof].flat();
    if (previous.length === 0 || previous.some((id) => typeof id !== 'string')) {
      problems.push('A previousProof must be a proof id or a list of them.');
      continue;
    }
    for (const id of previous) {
      if (id === proof.id) problems.push(`The proof ${id} names itself as its previous proof.`);
      else if (!ids.has(id)) problems.push(`The previous proof "${id}" is not in the document.`);
    }
  }
  return problems;
}

/** One proof: its suite, purpose, challenge, domain, expiry, key and signature. */
async function checkOneProof(
  credential: Credential,
  proof: DataIntegrityProof,
  position: number,
  deps: VerifierDeps,
  documentLoader: DocumentLoader,
  options: VerifyOptions,
  now: Date,
  memo: MemoEntry | undefined,
): Promise<ProofVerdict> {
  const purpose = options.proofPurpose ?? 'assertionMethod';
  const fail = (problem: string): ProofVerdict => ({ ok: false, problem });
  if (proof.type !== 'DataIntegrityProof' || proof.cryptosuite !== eddsaRdfc2022) {
    const retired = retiredSuites[proof.cryptosuite];
    if (retired) return fail(`A signature ${retired}; Skillproof checks only the standard name.`);
    return {
      ok: false,
      unchecked: true,
      problem: `A signature uses ${proof.cryptosuite ?? proof.type ?? 'an unnamed method'}, which Skillproof does not check (it checks eddsa-rdfc-2022 and VC-JWT).`,
    };
  }
  if (proof.proofPurpose !== purpose)
    return fail(`A signature is for "${proof.proofPurpose}", not for asserting a credential.`);
  if (options.challenge !== undefined && proof.challenge !== options.challenge)
    return fail('A signature does not carry the expected challenge.');
  if (options.domain !== undefined && ![proof.domain].flat().includes(options.domain))
    return fail('A signature is not for the expected domain.');
  const expires = dateOf(proof.expires);
  if (expires && expires <= now) return fail(`A signature expired on ${day(expires)}.`);
  let resolved: ResolvedMethod;
  try {
    resolved = await deps.resolveMethod(proof.verificationMethod);
  } catch (error) {
    return fail(error instanceof VcError ? error.message : `The signing key could not be found: ${String(error)}`);
  }
  if (!resolved.purposes.includes(purpose))
    return fail(`The key ${resolved.method.id} is not authorized by its owner to sign credentials.`);
  const result = await signatureCheck(credential, proof, resolved.publicKey, documentLoader, memo, position);
  if (!result.verified) {
    return fail(
      result.error === 'The signature does not match the document.'
        ? 'The signature does not match: the credential was changed after it was signed, or signed with another key.'
        : (result.error ?? 'The signature is not valid.'),
    );
  }
  return { ok: true, resolved };
}

/** With every signature valid: whether one of them is the issuer's, and how sure that is. */
function issuerOutcome(signers: ResolvedMethod[], issuerId: string | undefined | 'any', count: number): ProofOutcome {
  const verifiedBy = signers.find((s) => s.method.controller === issuerId || issuerId === 'any');
  const otherSigner = signers[0]?.method.controller;
  const what = count > 1 ? `All ${count} digital signatures are valid` : `The issuer's digital signature is valid`;
  if (!verifiedBy) {
    // An issuer id that names no key holder (urn:uuid:…) cannot be tied to any key: say so, but the signature
    // itself is sound. An issuer that is a DID or a web address must have signed.
    if (otherSigner && issuerId && !/^(did:|https?:\/\/)/.test(issuerId)) {
      return {
        status: 'passed',
        message: `The digital signature is valid (eddsa-rdfc-2022), so the credential has not been changed.`,
        issuer: {
          status: 'warning',
          message: `The issuer ${issuerId} is not an address or DID, so its link to the signer ${otherSigner} cannot be confirmed.`,
        },
      };
    }
    return {
      status: 'failed',
      message: `The credential was signed by ${otherSigner}, not by its issuer ${issuerId ?? '(none given)'}.`,
      issuer: { status: 'failed', message: `The issuer ${issuerId ?? '(none given)'} did not sign this credential.` },
    };
  }
  const proofMessage = `${what} (eddsa-rdfc-2022), so the credential has not been changed.`;
  if (!verifiedBy.confirmed) {
    return {
      status: 'passed',
      message: proofMessage,
      issuer: {
        status: 'warning',
        message: `The signing key could not be confirmed with the issuer. ${verifiedBy.note ?? ''}`.trim(),
      },
    };
  }
  return {
    status: 'passed',
    message: proofMessage,
    issuer: { status: 'passed', message: `The signing key belongs to the issuer ${issuerId}.` },
  };
}

/** One proof's signature check, through the memo when there is one (keyed by key, proof position and content). */
async function signatureCheck(
  credential: Credential,
  proof: DataIntegrityProof,
  publicKey: KeyObject,
  documentLoader: DocumentLoader,
  memo: MemoEntry | undefined,
  position: number,
): Promise<ProofCheck> {
  if (!memo) return verifyEddsaRdfc2022(credential, proof, publicKey, documentLoader);
  let positions = memo.signatures.get(publicKey);
  if (!positions) {
    if (memo.signatures.size >= memoKeysPerText) memo.signatures.clear();
    positions = [];
    memo.signatures.set(publicKey, positions);
  }
  const known = positions[position];
  if (known) return { ...known, proof };
  const result = await verifyEddsaRdfc2022(credential, proof, publicKey, documentLoader);
  positions[position] = result;
  return result;
}

/**
 * A status list's own verification, remembered per list object (and verifier): a fetcher that caches lists
 * returns the same object until its entry expires, so the list's signature is checked once per fetch, not
 * once per credential. Time-dependent checks are bounded by the fetcher's cache lifetime.
 */
const listChecks = new WeakMap<VerifierDeps, WeakMap<object, Promise<VerificationResult>>>();

function verifiedList(list: unknown, deps: VerifierDeps): Promise<VerificationResult> {
  if (!list || typeof list !== 'object') return verifyCredential(list, deps, { checkStatus: false });
  let checks = listChecks.get(deps);
  if (!checks) {
    checks = new WeakMap();
    listChecks.set(deps, checks);
  }
  let check = checks.get(list);
  if (!check) {
    check = verifyCredential(list, deps, { checkStatus: false });
    checks.set(list, check);
  }
  return check;
}

async function checkStatus(
  credential: Credential,
  issuerId: string | undefined,
  deps: VerifierDeps,
): Promise<{ status: CheckStatus; message: string }> {
  const entries = [credential.credentialStatus].flat().filter(Boolean) as StatusListEntry[];
  if (entries.length === 0) return { status: 'passed', message: 'The issuer publishes no revocation status for it.' };
  const outcomes: string[] = [];
  for (const entry of entries) {
    if (entry.type !== 'BitstringStatusListEntry') {
      return {
        status: 'warning',
        message: `The status method ${String(entry.type)} is not supported, so revocation was not checked.`,
      };
    }
    if (!deps.fetchStatusList) return { status: 'skipped', message: 'Revocation was not checked (no network access).' };
    let list: unknown;
    try {
      list = await deps.fetchStatusList(entry.statusListCredential);
    } catch (error) {
      return {
        status: 'failed',
        message: `The revocation list at ${entry.statusListCredential} could not be read: ${(error as Error).message}`,
      };
    }
    const listCheck = await verifiedList(list, deps);
    if (!listCheck.verified) {
      const why = listCheck.checks
        .filter((c) => c.status === 'failed')
        .map((c) => c.message)
        .join(' ');
      return { status: 'failed', message: `The revocation list is not trustworthy: ${why}` };
    }
    if (issuerIdOf(list as Credential) !== issuerId) {
      return { status: 'failed', message: 'The revocation list was published by someone other than the issuer.' };
    }
    try {
      if (readStatus(entry, list as Credential)) {
        return entry.statusPurpose === 'suspension'
          ? { status: 'failed', message: 'The issuer has suspended this credential.' }
          : { status: 'failed', message: 'The issuer has revoked this credential.' };
      }
    } catch (error) {
      return { status: 'failed', message: error instanceof VcError ? error.message : String(error) };
    }
    outcomes.push(entry.statusPurpose === 'suspension' ? 'not suspended' : 'not revoked');
  }
  return { status: 'passed', message: `Checked with the issuer: ${outcomes.join(' and ')}.` };
}
