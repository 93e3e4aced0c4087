import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { badgeSvg, solidPng } from '../../../test/helpers/images.js';
import { imageKind, unbake, type BakedContent } from '../../vc/baking.js';
import { badgeFacts, bakedPng, bakedSvg, renderBadgeSvg, wrapText } from './badge-image.js';

const hostile = 'Intro to <script>alert("x")</script> & <b>Data</b>';
const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:1',
  issuer: { id: 'did:web:example.org', name: 'Ada & <Co>' },
  validFrom: '2026-03-04T10:00:00Z',
  credentialSubject: { achievement: { id: 'https://example.org/a', name: hostile } },
};
const json: BakedContent = { kind: 'json', credential };
const jwt: BakedContent = { kind: 'jwt', jwt: 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln' };

/** Every text node of an SVG, and every element name, as an XML parser sees them. */
function parse(svg: string) {
  const parser = new SaxesParser({ xmlns: true });
  const texts: string[] = [];
  const elements: string[] = [];
  parser.on('text', (t) => texts.push(t));
  parser.on('opentag', (tag) => elements.push(tag.local));
  parser.write(svg).close();
  return { text: texts.join(''), elements };
}

const withImage = (image: string) => ({
  ...credential,
  credentialSubject: {
    achievement: { ...credential.credentialSubject.achievement, image: { id: image, type: 'Image' } },
  },
});

describe('drawn badge', () => {
  it('renders names with markup as text, never as elements', () => {
    const svg = renderBadgeSvg(badgeFacts(credential));
    const { text, elements } = parse(svg);
    expect(elements).not.toContain('script');
    expect(elements).not.toContain('b');
    expect(text).toContain('<script>');
    expect(text).toContain('Ada & <Co>');
    expect(text).toContain('2026-03-04');
    expect(svg).toContain('role="img"');
    // The accessible name carries the whole, unwrapped achievement name.
    expect(text).toContain(`${hostile}, issued by Ada & <Co> on 2026-03-04`);
  });

  it('wraps long names and elides what does not fit', () => {
    expect(wrapText('Data Analysis with SQL for Everyone', 18, 4)).toEqual(['Data Analysis with', 'SQL for Everyone']);
    const lines = wrapText('word '.repeat(40), 10, 3);
    expect(lines).toHaveLength(3);
    expect(lines[2]!.endsWith('…')).toBe(true);
    expect(wrapText('x'.repeat(25), 10, 4)).toEqual(['xxxxxxxxxx', 'xxxxxxxxxx', 'xxxxx']);
  });
});

describe('baked images', () => {
  it('a drawn PNG unbakes to the credential or the JWT', async () => {
    const png = await bakedPng(badgeFacts(credential), json);
    expect(imageKind(png)).toBe('png');
    expect(unbake(png)).toEqual(json);
    expect(unbake(await bakedPng(badgeFacts(credential), jwt))).toEqual(jwt);
  });

  it('a drawn SVG unbakes to the credential or the JWT', async () => {
    const svg = await bakedSvg(badgeFacts(credential), json);
    expect(unbake(Buffer.from(svg))).toEqual(json);
    expect(unbake(Buffer.from(await bakedSvg(badgeFacts(credential), jwt)))).toEqual(jwt);
  });

  it('uses the achievement image when it is an inline PNG', async () => {
    const image = `data:image/png;base64,${Buffer.from(solidPng(8, 8)).toString('base64')}`;
    const facts = badgeFacts(withImage(image));
    expect(facts.inlineImage?.kind).toBe('png');
    const png = await bakedPng(facts, json);
    // The issuer's own pixels, not a drawn badge: same chunks plus the credential.
    expect(png.subarray(0, 33)).toEqual(Buffer.from(solidPng(8, 8)).subarray(0, 33));
    expect(unbake(png)).toEqual(json);
    const svg = await bakedSvg(facts, json);
    expect(svg).toContain('data:image/png;base64,');
    expect(unbake(Buffer.from(svg))).toEqual(json);
  });

  it('uses an inline SVG (percent-encoded or base64), rendering it for PNG', async () => {
    for (const image of [
      `data:image/svg+xml,${encodeURIComponent(badgeSvg)}`,
      `data:image/svg+xml;base64,${Buffer.from(badgeSvg).toString('base64')}`,
    ]) {
      const facts = badgeFacts(withImage(image));
      expect(facts.inlineImage?.kind).toBe('svg');
      const svg = await bakedSvg(facts, json);
      expect(svg).toContain('<circle cx="32"');
      expect(unbake(Buffer.from(svg))).toEqual(json);
      const png = await bakedPng(facts, json);
      expect(unbake(png)).toEqual(json);
    }
  });

  it('bakes into an inline SVG whose root element closes itself, and the result still unbakes', async () => {
    const selfClosing = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>';
    const facts = badgeFacts(withImage(`data:image/svg+xml,${encodeURIComponent(selfClosing)}`));
    expect(facts.inlineImage?.kind).toBe('svg');
    for (const content of [json, jwt]) {
      const svg = await bakedSvg(facts, content);
      expect(unbake(Buffer.from(svg))).toEqual(content);
      expect(parse(svg).elements[0]).toBe('svg');
    }
  });

  it('never uses remote images, mislabelled data, or an SVG with a script', async () => {
    expect(badgeFacts(withImage('https://example.org/badge.png')).inlineImage).toBeUndefined();
    expect(
      badgeFacts(withImage(`data:image/png;base64,${Buffer.from(badgeSvg).toString('base64')}`)).inlineImage,
    ).toBeUndefined();
    const scripted = badgeSvg.replace('</svg>', '<script>alert(1)</script></svg>');
    const facts = badgeFacts(withImage(`data:image/svg+xml,${encodeURIComponent(scripted)}`));
    expect(facts.inlineImage?.kind).toBe('svg');
    const svg = await bakedSvg(facts, json);
    expect(parse(svg).elements).not.toContain('script');
    expect(svg).toContain('badge-title');
    expect(unbake(await bakedPng(facts, json))).toEqual(json);
  });
});
