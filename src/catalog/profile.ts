import type { IdentifierEntry, Profile } from '../vc/types.js';
import { isWebUrl, type DefinitionIssue } from './definition.js';

/**
 * What an issuer says about itself, and the quality assurance behind it. QA facts travel inside every
 * credential's issuer Profile (as IdentifierEntry values), so they show wherever the credential is shown.
 */
export interface QualityAssuranceFacts {
  accreditingBody: string;
  accreditationId?: string | undefined;
  framework?: string | undefined;
  /** YYYY-MM-DD */
  validUntil?: string | undefined;
}

export interface IssuerProfileDetails {
  url?: string | undefined;
  email?: string | undefined;
  /** ISO 3166-1 alpha-2, e.g. PT */
  country?: string | undefined;
  description?: string | undefined;
  image?: string | undefined;
  /** The issuer's colour (#rrggbb), for the badges drawn for its micro-credentials without an image. */
  colour?: string | undefined;
  qualityAssurance?: QualityAssuranceFacts | undefined;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

export function countryName(code: string): string | undefined {
  if (!/^[A-Z]{2}$/.test(code)) return undefined;
  const name = regions.of(code);
  return name && name !== code ? name : undefined;
}

export function checkProfile(details: IssuerProfileDetails): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  if (details.url !== undefined && !isWebUrl(details.url))
    issues.push({ field: 'url', message: 'The web site must be an http(s) address.' });
  if (details.colour !== undefined && !/^#[0-9a-fA-F]{6}$/.test(details.colour))
    issues.push({ field: 'colour', message: 'The colour is written #rrggbb, such as #0b4f9c.' });
  if (details.image !== undefined && !isWebUrl(details.image))
    issues.push({ field: 'image', message: 'The image must be an http(s) address.' });
  if (details.email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(details.email)) {
    issues.push({ field: 'email', message: 'Enter a valid email address.' });
  }
  if (details.country !== undefined && !countryName(details.country)) {
    issues.push({ field: 'country', message: 'The country is an ISO 3166 two-letter code such as PT or DE.' });
  }
  const qa = details.qualityAssurance;
  if (qa) {
    if (!qa.accreditingBody.trim())
      issues.push({ field: 'qualityAssurance.accreditingBody', message: 'Name the accrediting body.' });
    if (
      qa.validUntil !== undefined &&
      (!/^\d{4}-\d{2}-\d{2}$/.test(qa.validUntil) || Number.isNaN(Date.parse(qa.validUntil)))
    ) {
      issues.push({ field: 'qualityAssurance.validUntil', message: 'The date is written YYYY-MM-DD.' });
    }
  }
  return issues;
}

const qaTypes = {
  body: 'ext:AccreditingBody',
  id: 'ext:AccreditationId',
  framework: 'ext:QualityAssuranceFramework',
  until: 'ext:AccreditationValidUntil',
} as const;

/** The OB 3.0 issuer Profile: identity, contact, country, and the QA facts as identifier entries. */
export function toProfile(did: string, name: string, details: IssuerProfileDetails): Profile {
  const qa = details.qualityAssurance;
  const entries: IdentifierEntry[] = qa
    ? [
        { type: 'IdentifierEntry', identifierType: qaTypes.body, identifier: qa.accreditingBody },
        ...(qa.accreditationId
          ? [{ type: 'IdentifierEntry' as const, identifierType: qaTypes.id, identifier: qa.accreditationId }]
          : []),
        ...(qa.framework
          ? [{ type: 'IdentifierEntry' as const, identifierType: qaTypes.framework, identifier: qa.framework }]
          : []),
        ...(qa.validUntil
          ? [{ type: 'IdentifierEntry' as const, identifierType: qaTypes.until, identifier: qa.validUntil }]
          : []),
      ]
    : [];
  return {
    id: did,
    type: ['Profile'],
    name,
    ...(details.url ? { url: details.url } : {}),
    ...(details.email ? { email: details.email } : {}),
    ...(details.description ? { description: details.description } : {}),
    ...(details.image ? { image: { id: details.image, type: 'Image' as const } } : {}),
    ...(details.country ? { address: { type: ['Address'], addressCountryCode: details.country } } : {}),
    ...(entries.length ? { otherIdentifier: entries } : {}),
  };
}

/** The QA facts a Profile carries, for display (ours or another issuer's that follows the same convention). */
export function qualityAssuranceOf(profile: { otherIdentifier?: unknown }): QualityAssuranceFacts | undefined {
  const entries = [profile.otherIdentifier].flat().filter(Boolean) as {
    identifierType?: string;
    identifier?: string;
  }[];
  const find = (type: string) => entries.find((e) => e.identifierType === type)?.identifier;
  const body = find(qaTypes.body);
  if (!body) return undefined;
  return {
    accreditingBody: body,
    accreditationId: find(qaTypes.id),
    framework: find(qaTypes.framework),
    validUntil: find(qaTypes.until),
  };
}
