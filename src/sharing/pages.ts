import { createElement as h, Fragment, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { formatDay } from '../platform/dates.js';
import type { CredentialFacts } from './sharing.js';
import type { IssuerTrust, Verdict } from './verdict.js';

/**
 * The public pages, rendered on the server with React's static markup (every text and attribute escaped by
 * React): no script, one small inline style sheet, readable on a phone.
 */

const css = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1f24;background:#f4f5f7}
main{max-width:42rem;margin:0 auto;padding:1.25rem}
.card{background:#fff;border:1px solid #d0d5dc;border-radius:.5rem;padding:1.25rem;margin-bottom:1rem}
h1{font-size:1.5rem;line-height:1.25;margin:.25rem 0 .5rem}
h2{font-size:1.125rem;margin:0 0 .5rem}
section+section{margin-top:1rem}
h3{font-size:1rem;margin:1rem 0 .25rem}
.holder{margin:0;color:#3d4550}
.verdict{display:inline-block;font-weight:700;padding:.25rem .75rem;border-radius:1rem;border:2px solid}
.ok{color:#0b5d1e;background:#e6f4ea;border-color:#0b5d1e}
.bad{color:#8a1c1c;background:#fdecea;border-color:#8a1c1c}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:1rem 0 0}
dt{font-weight:600;color:#3d4550}dd{margin:0;overflow-wrap:anywhere}
ul{padding-left:1.25rem}
a{color:#0b4f9c}
.links a{display:inline-block;margin:.25rem 1rem .25rem 0;padding:.5rem 0}
.muted{color:#4a525d;font-size:.875rem}
.badge-image{float:right;margin:0 0 .5rem .75rem;border-radius:.5rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin-bottom:.5rem}}
`;

const embedCss = `
body{margin:0;font:14px/1.4 system-ui,sans-serif;color:#1b1f24;background:#fff}
.card{border:1px solid #d0d5dc;border-radius:.5rem;padding:.75rem;height:100vh;box-sizing:border-box}
h1{font-size:1rem;margin:0 0 .25rem}p{margin:.25rem 0}
.verdict{font-weight:700}.ok{color:#0b5d1e}.bad{color:#8a1c1c}a{color:#0b4f9c}
`;

export interface CredentialPageModel {
  url: string;
  holderName: string;
  facts: CredentialFacts;
  verdict: Verdict;
  issuerTrust: IssuerTrust | undefined;
  /** The document's media type, for the download link's label. */
  downloadLabel: string;
  /** The reader's locale (from Accept-Language): dates are written as they write them. */
  locale?: string | undefined;
}

function document(options: {
  title: string;
  description?: string;
  url?: string;
  noindex?: boolean;
  style?: string;
  children: ReactNode;
}): string {
  const meta = options.description
    ? [
        h('meta', { key: 'd', name: 'description', content: options.description }),
        h('meta', { key: 'ot', property: 'og:title', content: options.title }),
        h('meta', { key: 'od', property: 'og:description', content: options.description }),
        h('meta', { key: 'oy', property: 'og:type', content: 'website' }),
        options.url ? h('meta', { key: 'ou', property: 'og:url', content: options.url }) : null,
        h('meta', { key: 'tc', name: 'twitter:card', content: 'summary' }),
        h('meta', { key: 'tt', name: 'twitter:title', content: options.title }),
        h('meta', { key: 'td', name: 'twitter:description', content: options.description }),
      ]
    : [];
  const html = renderToStaticMarkup(
    h(
      'html',
      { lang: 'en' },
      h(
        'head',
        null,
        h('meta', { charSet: 'utf-8' }),
        h('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
        h('title', null, options.title),
        options.noindex ? h('meta', { name: 'robots', content: 'noindex' }) : null,
        options.url ? h('link', { rel: 'canonical', href: options.url }) : null,
        ...meta,
        h('style', null, options.style ?? css),
      ),
      h('body', null, options.children),
    ),
  );
  return `<!doctype html>${html}`;
}

function verdictBadge(verdict: Verdict) {
  return h('p', { className: `verdict ${verdict.ok ? 'ok' : 'bad'}`, role: 'status' }, verdict.label);
}

function trustLine(trust: IssuerTrust | undefined) {
  if (!trust) return null;
  return h(
    Fragment,
    null,
    h('dt', null, 'Issuer registry'),
    h(
      'dd',
      null,
      trust.known
        ? `Known issuer${trust.registry ? `, listed by ${trust.registry}` : ''}`
        : "Issuer not in this instance's registry",
    ),
  );
}

/** The EU micro-credential elements (workload, level, assessment, validity…), labelled, apart from the skills. */
function euFacts(facts: CredentialFacts) {
  const summary = facts.summary;
  if (!summary || (summary.facts.length === 0 && summary.learningOutcomes.length === 0)) return null;
  return h(
    'section',
    { 'aria-labelledby': 'eu-facts' },
    h('h2', { id: 'eu-facts' }, 'Micro-credential facts'),
    summary.facts.length > 0
      ? h(
          'dl',
          null,
          summary.facts.map((fact) =>
            h(Fragment, { key: fact.label }, h('dt', null, fact.label), h('dd', null, fact.value)),
          ),
        )
      : null,
    summary.learningOutcomes.length > 0
      ? h(
          Fragment,
          null,
          h('h3', null, 'Learning outcomes'),
          h(
            'ul',
            null,
            summary.learningOutcomes.map((outcome, i) => h('li', { key: i }, outcome)),
          ),
        )
      : null,
  );
}

/** The achievement's badge, when this instance serves it (a page never loads images from other sites). */
function badgeImage(facts: CredentialFacts, pageUrl: string) {
  const image = facts.summary?.achievement?.image;
  if (!image) return null;
  try {
    const url = new URL(image);
    if (url.origin !== new URL(pageUrl).origin) return null;
    return h('img', { className: 'badge-image', src: url.pathname, alt: '', width: 96, height: 96 });
  } catch {
    return null;
  }
}

/** The description link previews show: who holds what from whom, and the verdict. */
export function previewText(model: Pick<CredentialPageModel, 'facts' | 'verdict'>): string {
  return `${model.facts.name}, issued by ${model.facts.issuerName}. ${model.verdict.label}.`;
}

export function credentialPage(model: CredentialPageModel): string {
  const { facts, verdict } = model;
  const issuer = model.issuerTrust?.name ?? facts.issuerName;
  return document({
    title: `${model.holderName}: ${facts.name}`,
    description: previewText(model),
    url: model.url,
    noindex: true,
    children: h(
      'main',
      null,
      h(
        'article',
        { className: 'card', 'aria-labelledby': 'credential-name' },
        badgeImage(facts, model.url),
        verdictBadge(verdict),
        h('h1', { id: 'credential-name' }, facts.name),
        h('p', { className: 'holder' }, `Held by ${model.holderName}`),
        facts.description ? h('p', null, facts.description) : null,
        h(
          'dl',
          null,
          h('dt', null, 'Issued by'),
          h('dd', null, issuer),
          trustLine(model.issuerTrust),
          h('dt', null, 'Issued on'),
          h('dd', null, formatDay(facts.issuedAt, model.locale)),
          h('dt', null, facts.validUntil && facts.validUntil.getTime() < Date.now() ? 'Expired on' : 'Valid until'),
          h('dd', null, facts.validUntil ? formatDay(facts.validUntil, model.locale) : 'No expiry'),
          h('dt', null, 'Credential id'),
          h('dd', null, facts.credentialId),
        ),
        facts.summary && facts.summary.skills.length > 0
          ? h(
              'section',
              { 'aria-labelledby': 'skills' },
              h('h2', { id: 'skills' }, 'Skills'),
              h(
                'ul',
                null,
                facts.summary.skills.map((skill, i) => h('li', { key: i }, skill.name)),
              ),
            )
          : null,
        euFacts(facts),
      ),
      h(
        'section',
        { className: 'card', 'aria-labelledby': 'checks' },
        h('h2', { id: 'checks' }, 'Verification'),
        verdict.ok
          ? h('p', null, 'The signature, the issuer and the revocation status were checked just now.')
          : h(
              'ul',
              null,
              verdict.reasons.map((reason, i) => h('li', { key: i }, reason)),
            ),
        h(
          'p',
          { className: 'links' },
          h('a', { href: `/verify?url=${encodeURIComponent(`${model.url}/credential`)}` }, 'Verify it yourself'),
          h('a', { href: `${model.url}/credential`, download: '' }, `Download the credential (${model.downloadLabel})`),
        ),
      ),
      h(
        'p',
        { className: 'muted' },
        'Shared by its holder on Skillproof. The holder can withdraw this page at any time.',
      ),
    ),
  });
}

export function embedCard(model: CredentialPageModel): string {
  const { facts, verdict } = model;
  return document({
    title: `${facts.name}: ${verdict.label}`,
    style: embedCss,
    children: h(
      'main',
      { className: 'card' },
      h('h1', null, facts.name),
      h('p', null, `${model.holderName} · issued by ${model.issuerTrust?.name ?? facts.issuerName}`),
      h('p', { className: `verdict ${verdict.ok ? 'ok' : 'bad'}` }, verdict.label),
      h('p', null, h('a', { href: model.url, target: '_blank', rel: 'noopener' }, 'See the credential')),
    ),
  });
}

export function messagePage(title: string, message: string): string {
  return document({
    title,
    noindex: true,
    children: h('main', null, h('div', { className: 'card' }, h('h1', null, title), h('p', null, message))),
  });
}

export interface ProfilePageModel {
  url: string;
  displayName: string;
  credentials: { url: string; name: string; issuerName: string; verdict: Verdict; issuedAt: Date }[];
  locale?: string | undefined;
}

export function profilePage(model: ProfilePageModel): string {
  const count = model.credentials.length;
  return document({
    title: `${model.displayName}: credentials`,
    description: `${model.displayName} holds ${count} verified-on-view credential${count === 1 ? '' : 's'}.`,
    url: model.url,
    children: h(
      'main',
      null,
      h('h1', null, model.displayName),
      count === 0
        ? h('p', null, 'No credentials are shared here yet.')
        : h(
            'ul',
            { 'aria-label': 'Credentials', style: { listStyle: 'none', padding: 0 } },
            model.credentials.map((c, i) =>
              h(
                'li',
                { key: i, className: 'card' },
                verdictBadge(c.verdict),
                h('h2', null, h('a', { href: c.url }, c.name)),
                h('p', { className: 'holder' }, `Issued by ${c.issuerName} on ${formatDay(c.issuedAt, model.locale)}`),
              ),
            ),
          ),
    ),
  });
}
