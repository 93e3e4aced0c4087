import { contextUrls } from './contexts.js';
import { relatedResourceMismatch } from './related-resources.js';

/**
 * The normative rules of the W3C Verifiable Credentials Data Model 2.0 that a JSON Schema cannot express or
 * that apply to every credential, whatever its kind. Returns one sentence per broken rule.
 */
const dateTimeStamp = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const sri = /^(sha256|sha384|sha512)-[A-Za-z0-9+/]+={0,2}$/;

function isUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return Boolean(new URL(value).protocol);
  } catch {
    return false;
  }
}

const list = (value: unknown): unknown[] => (value === undefined ? [] : [value].flat());

function hasType(value: unknown): boolean {
  const type = (value as { type?: unknown })?.type;
  return (
    typeof type === 'string' || (Array.isArray(type) && type.length > 0 && type.every((t) => typeof t === 'string'))
  );
}

const valueKeys = new Set(['@value', '@language', '@direction']);

/**
 * Why a name or description is not a string or language value objects (VC DM 2.0 §11.1: `@value` text, an
 * optional `@language` tag, an optional `@direction` of ltr or rtl, nothing else); undefined when it is.
 */
export function languageValueProblem(value: unknown): string | undefined {
  if (typeof value === 'string') return undefined;
  const values = list(value);
  if (values.length === 0) return 'must be text or language-tagged text.';
  for (const v of values) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'must be text or language-tagged text.';
    const o = v as Record<string, unknown>;
    if (typeof o['@value'] !== 'string') return 'must have text in @value.';
    const extra = Object.keys(o).filter((k) => !valueKeys.has(k));
    if (extra.length) return `may only have @value, @language and @direction, not ${extra.join(', ')}.`;
    if (
      o['@language'] !== undefined &&
      (typeof o['@language'] !== 'string' || !/^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(o['@language']))
    )
      return 'has an @language that is not a language tag (BCP 47).';
    if (o['@direction'] !== undefined && o['@direction'] !== 'ltr' && o['@direction'] !== 'rtl')
      return 'has an @direction other than "ltr" or "rtl".';
  }
  return undefined;
}

export function checkDataModel(credential: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const context = list(credential['@context']);
  if (context[0] !== contextUrls.credentialsV2) {
    problems.push(
      context[0] === contextUrls.credentialsV1
        ? 'It is a Verifiable Credential 1.1; Skillproof verifies the current version, 2.0.'
        : `Its first @context must be ${contextUrls.credentialsV2}.`,
    );
  }
  const types = list(credential.type);
  if (!types.includes('VerifiableCredential')) problems.push('Its type must include "VerifiableCredential".');
  if (credential.id !== undefined && !isUrl(credential.id)) problems.push('Its id must be a URL.');

  const issuer = credential.issuer;
  const issuerId = typeof issuer === 'string' ? issuer : (issuer as { id?: unknown } | undefined)?.id;
  if (issuer === undefined) problems.push('It names no issuer.');
  else if (!isUrl(issuerId)) problems.push('Its issuer must be a URL, or an object whose id is a URL.');

  const subjects = list(credential.credentialSubject);
  if (subjects.length === 0) problems.push('It has no credentialSubject.');
  else if (subjects.some((s) => typeof s !== 'object' || s === null || Object.keys(s).length === 0)) {
    problems.push('Every credentialSubject must be an object with at least one claim.');
  }

  for (const field of ['validFrom', 'validUntil'] as const) {
    const value = credential[field];
    if (
      value !== undefined &&
      (typeof value !== 'string' || !dateTimeStamp.test(value) || Number.isNaN(Date.parse(value)))
    ) {
      problems.push(`Its ${field} must be a date and time with a time zone (like 2026-01-31T12:00:00Z).`);
    }
  }
  const from = Date.parse(String(credential.validFrom));
  const until = Date.parse(String(credential.validUntil));
  if (!Number.isNaN(from) && !Number.isNaN(until) && until < from)
    problems.push('Its validUntil is before its validFrom.');

  for (const field of ['name', 'description'] as const) {
    const problem = credential[field] === undefined ? undefined : languageValueProblem(credential[field]);
    if (problem) problems.push(`Its ${field} ${problem}`);
    const onIssuer =
      typeof issuer === 'object' && issuer !== null ? (issuer as Record<string, unknown>)[field] : undefined;
    const issuerProblem = onIssuer === undefined ? undefined : languageValueProblem(onIssuer);
    if (issuerProblem) problems.push(`Its issuer ${field} ${issuerProblem}`);
  }

  // Properties whose every entry must name its type (VC DM 2.0, sections 4.10 to 5.6).
  for (const field of ['credentialStatus', 'credentialSchema', 'refreshService', 'termsOfUse', 'evidence'] as const) {
    const entries = list(credential[field]);
    if (entries.some((entry) => typeof entry !== 'object' || entry === null || !hasType(entry))) {
      problems.push(`Every ${field} entry must have a type.`);
    }
    if (field === 'credentialSchema' || field === 'refreshService') {
      if (entries.some((entry) => !isUrl((entry as { id?: unknown })?.id)))
        problems.push(`Every ${field} entry must have an id URL.`);
    }
    if (
      field === 'credentialStatus' &&
      entries.some((e) => (e as { id?: unknown })?.id !== undefined && !isUrl((e as { id: unknown }).id))
    ) {
      problems.push('A credentialStatus id must be a URL.');
    }
  }

  const related = list(credential.relatedResource);
  const ids = new Set<unknown>();
  for (const resource of related) {
    const r = resource as { id?: unknown; digestSRI?: unknown; digestMultibase?: unknown };
    if (!isUrl(r?.id)) problems.push('Every relatedResource must have an id URL.');
    if (ids.has(r?.id)) problems.push(`relatedResource ${String(r?.id)} is listed twice.`);
    ids.add(r?.id);
    if (r?.digestSRI === undefined && r?.digestMultibase === undefined) {
      problems.push(`relatedResource ${String(r?.id)} has no digest (digestSRI or digestMultibase).`);
    }
    if (r?.digestSRI !== undefined && (typeof r.digestSRI !== 'string' || !sri.test(r.digestSRI))) {
      problems.push(`relatedResource ${String(r?.id)} has an invalid digestSRI.`);
    }
    if (
      r?.digestMultibase !== undefined &&
      (typeof r.digestMultibase !== 'string' || !/^[uzm]/.test(r.digestMultibase))
    ) {
      problems.push(`relatedResource ${String(r?.id)} has an invalid digestMultibase.`);
    }
    const mismatch = r && typeof r === 'object' ? relatedResourceMismatch(r) : undefined;
    if (mismatch) problems.push(mismatch);
  }
  return problems;
}
