import { randomBytes } from 'node:crypto';
import { renderToStaticMarkup } from 'react-dom/server';
import { createElement as h } from 'react';

/** Pure helpers of sharing: tokens, share links, the embed snippet and the reminder rule. */

/** 32 random bytes (256 bits) from the CSPRNG, base64url: a share URL cannot be guessed or enumerated. */
export function newShareToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What a share token looks like; anything else is answered 404 without a database read. */
export const shareTokenPattern = /^[A-Za-z0-9_-]{43}$/;

export interface ShareFacts {
  /** The credential's (achievement's) name. */
  name: string;
  issuerName: string;
  issuedAt: Date;
  validUntil: Date | null;
  /** The public page. */
  url: string;
  /** The credential's own id (urn:uuid:… or URL), shown as LinkedIn's credential id. */
  credentialId: string;
}

/**
 * LinkedIn's "Add to profile" link for a certification (startTask=CERTIFICATION_NAME with name, organizationName,
 * issue and expiration month/year, certUrl and certId, as LinkedIn's Add to Profile documentation names them).
 * Months are 1–12, in UTC.
 */
export function linkedInAddToProfileUrl(facts: ShareFacts): string {
  const params = new URLSearchParams({
    startTask: 'CERTIFICATION_NAME',
    name: facts.name,
    organizationName: facts.issuerName,
    issueYear: String(facts.issuedAt.getUTCFullYear()),
    issueMonth: String(facts.issuedAt.getUTCMonth() + 1),
  });
  if (facts.validUntil) {
    params.set('expirationYear', String(facts.validUntil.getUTCFullYear()));
    params.set('expirationMonth', String(facts.validUntil.getUTCMonth() + 1));
  }
  params.set('certUrl', facts.url);
  params.set('certId', facts.credentialId);
  return `https://www.linkedin.com/profile/add?${params}`;
}

/** LinkedIn's share-to-feed link: LinkedIn reads the page's Open Graph tags for the preview. */
export function linkedInFeedUrl(url: string): string {
  return `https://www.linkedin.com/sharing/share-offsite/?${new URLSearchParams({ url })}`;
}

export function emailUrl(facts: ShareFacts): string {
  const subject = `My credential: ${facts.name}`;
  const body = `I earned "${facts.name}" from ${facts.issuerName}. Anyone can verify it here: ${facts.url}`;
  // encodeURIComponent, not URLSearchParams: mail clients show a "+" literally.
  return `mailto:?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/**
 * An HTML snippet to paste into a web page: an iframe of the embed card, with a plain link inside for readers
 * that show no frames. Text goes through React's escaping, never concatenation.
 */
export function embedSnippet(facts: ShareFacts): string {
  const title = `${facts.name}, issued by ${facts.issuerName}`;
  return renderToStaticMarkup(
    h(
      'iframe',
      {
        src: `${facts.url}/embed`,
        title,
        width: 360,
        height: 200,
        loading: 'lazy',
        style: { border: 0 },
      },
      h('a', { href: facts.url }, title),
    ),
  );
}

export interface ShareLinks {
  url: string;
  linkedInProfile: string;
  linkedInFeed: string;
  email: string;
  embed: string;
}

export function shareLinks(facts: ShareFacts): ShareLinks {
  return {
    url: facts.url,
    linkedInProfile: linkedInAddToProfileUrl(facts),
    linkedInFeed: linkedInFeedUrl(facts.url),
    email: emailUrl(facts),
    embed: embedSnippet(facts),
  };
}

/** Days after earning before the in-app reminder to share appears. */
export const reminderDelayDays = 3;

/** The reminder shows for a credential earned at least N days ago, never shared, not dismissed. */
export function reminderDue(
  holding: { addedAt: Date; everShared: boolean; dismissed: boolean },
  now: Date,
  delayDays = reminderDelayDays,
): boolean {
  if (holding.everShared || holding.dismissed) return false;
  return now.getTime() - holding.addedAt.getTime() >= delayDays * 24 * 60 * 60 * 1000;
}

/** A profile handle: lower-case letters, digits and single dashes, 3–40 long. */
export const handlePattern = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,39}$/;
