import { describe, expect, it } from 'vitest';
import { achievementCredential } from '../../test/helpers/credentials.js';
import { standardsJson, standardsText } from '../../test/helpers/standards.js';
import { canonicalize, canonicalizeFast, canonicalizeGeneric } from './canonicalize.js';
import { createDocumentLoader } from './document-loader.js';
import { fastPathRefusal, fastToRdf } from './fast-rdf.js';
import { deepFreeze } from './frozen.js';

const v2 = 'https://www.w3.org/ns/credentials/v2';
const ob = 'https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json';

describe('the compiled-context fast path', () => {
  it('produces the W3C test vector canonical N-Quads without jsonld.js', () => {
    const dir = 'vc-di-eddsa/TestVectors';
    const unsigned = standardsJson(`${dir}/unsigned.json`);
    expect(fastPathRefusal(unsigned)).toBeUndefined();
    expect(canonicalizeFast(unsigned)!.trim()).toBe(standardsText(`${dir}/eddsa-rdfc-2022/canonDocDataInt.txt`).trim());
    const config = standardsJson(`${dir}/eddsa-rdfc-2022/proofConfigDataInt.json`);
    expect(canonicalizeFast(config)!.trim()).toBe(standardsText(`${dir}/eddsa-rdfc-2022/proofCanonDataInt.txt`).trim());
  });

  it('writes text with a language and base direction as i18n-datatype literals, as jsonld.js does (§11.1)', async () => {
    const document = {
      '@context': [v2],
      id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
      type: ['VerifiableCredential'],
      issuer: {
        id: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
        name: [
          { '@value': 'Example University', '@language': 'en', '@direction': 'ltr' },
          { '@value': 'جامعة المثال', '@language': 'AR-EG', '@direction': 'rtl' },
        ],
        description: { '@value': 'A university', '@direction': 'ltr' },
      },
      name: { '@value': 'Diplôme', '@language': 'fr' },
      description: { '@value': 'plain' },
      validFrom: '2026-01-01T00:00:00Z',
      credentialSubject: {
        id: 'did:example:subject',
        name: { '@value': 'Lea', '@language': 'en', '@direction': 'rtl' },
      },
    };
    // JSON-LD 1.1 to RDF with rdfDirection "i18n-datatype": https://www.w3.org/ns/i18n#{lowercased language}_{direction}.
    const key = '<did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK>';
    const vc = '<urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33>';
    const cred = 'https://www.w3.org/2018/credentials#';
    const expected = [
      '<did:example:subject> <https://schema.org/name> "Lea"^^<https://www.w3.org/ns/i18n#en_rtl> .',
      `${key} <https://schema.org/description> "A university"^^<https://www.w3.org/ns/i18n#_ltr> .`,
      `${key} <https://schema.org/name> "Example University"^^<https://www.w3.org/ns/i18n#en_ltr> .`,
      `${key} <https://schema.org/name> "جامعة المثال"^^<https://www.w3.org/ns/i18n#ar-eg_rtl> .`,
      `${vc} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <${cred}VerifiableCredential> .`,
      `${vc} <https://schema.org/description> "plain" .`,
      `${vc} <https://schema.org/name> "Diplôme"@fr .`,
      `${vc} <${cred}credentialSubject> <did:example:subject> .`,
      `${vc} <${cred}issuer> ${key} .`,
      `${vc} <${cred}validFrom> "2026-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
      '',
    ].join('\n');
    expect(fastPathRefusal(document)).toBeUndefined();
    expect(canonicalizeFast(document)).toBe(expected);
    expect(await canonicalizeGeneric(document)).toBe(expected);
  });

  it('leaves value objects it does not handle to jsonld.js, with the same verdict', async () => {
    const withType = {
      '@context': [v2],
      type: ['VerifiableCredential'],
      issuer: 'did:example:issuer',
      credentialSubject: {
        id: 'did:example:subject',
        name: { '@value': '5', '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
      },
    };
    expect(fastPathRefusal(withType)).toBeDefined();
    expect(await canonicalize(withType)).toBe(await canonicalizeGeneric(withType));
    const badDirection = {
      ...withType,
      credentialSubject: { id: 'did:example:s', name: { '@value': 'x', '@direction': 'up' } },
    };
    expect(fastPathRefusal(badDirection)).toBeDefined();
    await expect(canonicalizeGeneric(badDirection)).rejects.toThrow();
  });

  it('matches jsonld.js on an Open Badges credential with type-scoped contexts, coercions and blank nodes', async () => {
    const credential = achievementCredential({
      id: 'urn:uuid:2f1a8f63-5d0e-4b35-9ad5-0e8f3a3c1d10',
      issuer: { id: 'did:web:issuer.example', type: ['Profile'], name: 'Northwind "Institute"\n\\ École' },
      validFrom: '2026-01-01T00:00:00Z',
      credentialStatus: {
        id: 'https://issuer.example/status/1#7',
        type: 'BitstringStatusListEntry',
        statusPurpose: 'revocation',
        statusListIndex: '7',
        statusListCredential: 'https://issuer.example/status/1',
      },
    });
    expect(fastPathRefusal(credential)).toBeUndefined();
    expect(canonicalizeFast(credential)).toBe(await canonicalizeGeneric(credential));
  });

  it('writes numbers as jsonld.js does: integers, doubles, and coerced floats', async () => {
    for (const credits of [1, 0, -3, 2.5, 1e21, 123456789.125, 1e-7]) {
      const credential = achievementCredential();
      (credential.credentialSubject as { achievement: Record<string, unknown> }).achievement.creditsAvailable = credits;
      expect(canonicalizeFast(credential)).toBe(await canonicalizeGeneric(credential));
    }
  });

  it('handles language maps, @list, @graph containers and an @vocab', async () => {
    const document = {
      '@context': [
        v2,
        'https://www.w3.org/ns/credentials/examples/v2',
        {
          label: { '@id': 'https://example.org/label', '@container': '@language' },
          steps: { '@id': 'https://example.org/steps', '@container': '@list' },
          boxed: { '@id': 'https://example.org/boxed', '@container': '@graph' },
        },
      ],
      type: ['VerifiableCredential'],
      issuer: 'https://issuer.example',
      label: { en: 'Hello', 'de-CH': ['Grüezi', 'Hoi'] },
      steps: ['one', 2, { undefinedTerm: 'three' }],
      boxed: { id: 'https://example.org/inner', name: 'inside a graph' },
      credentialSubject: { something: true },
    };
    expect(fastPathRefusal(document)).toBeUndefined();
    expect(canonicalizeFast(document)).toBe(await canonicalizeGeneric(document));
  });

  it('merges nodes that share an id and drops duplicate values, as the node map does', async () => {
    const issuer = { id: 'did:web:issuer.example', type: ['Profile'], name: 'Same' };
    const credential = achievementCredential({ issuer });
    const achievement = (credential.credentialSubject as { achievement: Record<string, unknown> }).achievement;
    achievement.creator = { ...issuer, url: 'https://issuer.example' };
    expect(canonicalizeFast(credential)).toBe(await canonicalizeGeneric(credential));
  });

  it('reuses the expansion of a frozen part, merged with the rest of each document as the node map does', async () => {
    // The shared achievement's id is also described elsewhere in each document, with a duplicate value and a
    // new one; the first use expands it, the second records it, the rest replay the recording.
    const shared = deepFreeze(structuredClone(achievementCredential().credentialSubject) as Record<string, unknown>)
      .achievement as Record<string, unknown>;
    for (let use = 0; use < 5; use++) {
      const credential = achievementCredential({ id: `urn:uuid:00000000-0000-4000-8000-00000000000${use}` });
      const subject = credential.credentialSubject as Record<string, unknown>;
      subject.achievement = shared;
      credential.evidence = [
        { id: shared.id, type: ['Evidence'], name: shared.name, description: `use ${use}` },
        { type: ['Evidence'], name: 'Unrelated', narrative: `use ${use}` },
      ];
      expect(canonicalizeFast(credential), `use ${use}`).toBe(await canonicalizeGeneric(credential));
    }
  });

  it('reuses frozen blank node objects, which the holding document links to from outside the part', async () => {
    // Evidence has no id: a blank node that canonicalization must hash with the credential's link to it.
    const evidence = deepFreeze([
      { type: ['Evidence'], name: 'Skill test', narrative: 'Scored 80%.' },
      { type: ['Evidence'], name: 'Skill test', narrative: 'Scored 80%.' },
      { type: ['Evidence'], name: 'Portfolio', genre: 'Code', audience: 'Employers' },
    ]);
    for (let use = 0; use < 4; use++) {
      const credential = achievementCredential({ id: `urn:uuid:00000000-0000-4000-8000-00000000001${use}` });
      credential.evidence = use % 2 ? evidence : [...evidence].reverse();
      expect(canonicalizeFast(credential), `use ${use}`).toBe(await canonicalizeGeneric(credential));
    }
  });

  it('never reuses the expansion of a part that can still change', async () => {
    // Frozen on top only: its criteria can change between two documents, and must show.
    const credential = achievementCredential();
    const subject = credential.credentialSubject as { achievement: Record<string, unknown> };
    const criteria = { narrative: 'first' };
    subject.achievement = Object.freeze({ ...subject.achievement, criteria });
    const seen: string[] = [];
    for (const narrative of ['first', 'second', 'third', 'fourth']) {
      criteria.narrative = narrative;
      const fast = canonicalizeFast(credential)!;
      expect(fast).toBe(await canonicalizeGeneric(credential));
      seen.push(fast);
    }
    expect(new Set(seen).size).toBe(4);
  });

  it.each([
    ['a context that is not bundled', { '@context': [v2, 'https://example.org/ctx'], type: ['VerifiableCredential'] }],
    ['a relative id', { '@context': [v2, ob], id: 'not-absolute', type: ['VerifiableCredential'] }],
    ['a JSON literal', { '@context': [v2, { data: { '@id': 'https://e.org/d', '@type': '@json' } }], data: { a: 1 } }],
    ['a typed value object', { '@context': [v2], name: { '@value': 'x', '@type': 'https://e.org/t' } }],
    ['an empty object', { '@context': [v2], credentialSubject: {} }],
    ['a null value', { '@context': [v2], name: null }],
    ['a blank node identifier', { '@context': [v2], id: '_:b0', name: 'x' }],
    ['@protected: false', { '@context': [v2, { '@protected': false, n: 'https://e.org/n' }], n: 'x' }],
    ['an @base', { '@context': [v2, { '@base': 'https://e.org/' }], id: 'x', name: 'y' }],
  ])('gives %s to the generic path, which decides', async (_why, document) => {
    expect(fastToRdf(document)).toBeUndefined();
    const generic = await canonicalizeGeneric(document).then(
      (text) => text,
      (error: Error) => `error: ${error.message}`,
    );
    const combined = await canonicalize(document).then(
      (text) => text,
      (error: Error) => `error: ${error.message}`,
    );
    expect(combined).toBe(generic);
  });

  it('is used only with loaders that answer bundled contexts from the bundle', async () => {
    const credential = achievementCredential({ issuer: 'did:web:issuer.example' });
    const custom = async (url: string) => ({ contextUrl: null, documentUrl: url, document: { '@context': {} } });
    await expect(canonicalize(credential, custom)).rejects.toThrow();
    await expect(canonicalize(credential, createDocumentLoader())).resolves.toBe(canonicalizeFast(credential));
  });
});
