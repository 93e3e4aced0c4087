import extractChunks from 'png-chunks-extract';
import { describe, expect, it } from 'vitest';
import { badgeSvg, solidPng } from '../../test/helpers/images.js';
import { bake, bakePng, bakeSvg, imageKind, unbake, unbakePng, unbakeSvg, type BakedContent } from './baking.js';

const credential = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  id: 'urn:uuid:1',
  name: 'Tricky ]]> <b>&amp;</b> ✓',
};
const json: BakedContent = { kind: 'json', credential };
const jwt: BakedContent = { kind: 'jwt', jwt: 'eyJhbGciOiJFZERTQSJ9.eyJpc3MiOiJ4In0.c2ln' };

describe('PNG baking', () => {
  it('bakes an uncompressed iTXt chunk before IEND and extracts it', () => {
    const baked = bakePng(solidPng(), json);
    const chunks = extractChunks(baked);
    expect(chunks.map((c) => c.name)).toEqual(['IHDR', 'IDAT', 'iTXt', 'IEND']);
    const text = Buffer.from(chunks[2]!.data);
    expect(text.subarray(0, 20).toString('latin1')).toBe('openbadgecredential\0');
    expect(text[20]).toBe(0); // compression flag: none
    expect(unbakePng(baked)).toEqual(json);
    expect(unbake(bakePng(solidPng(), jwt))).toEqual(jwt);
  });

  it('refuses to bake twice, and images with two credentials or none', () => {
    const baked = bakePng(solidPng(), json);
    expect(() => bakePng(baked, json)).toThrow(/already holds a credential/);
    const chunks = extractChunks(baked);
    const doubled = [...chunks.slice(0, 3), chunks[2]!, chunks[3]!];
    const encode = (c: typeof chunks) => import('png-chunks-encode').then((m) => m.default(c));
    return encode(doubled).then((bytes) => {
      expect(() => unbakePng(bytes)).toThrow(/more than one credential/);
      expect(() => unbakePng(solidPng())).toThrow(/holds no credential/);
    });
  });

  it('refuses damaged PNGs and other files', () => {
    const baked = bakePng(solidPng(), json);
    const truncated = baked.subarray(0, baked.length - 20);
    expect(() => unbakePng(truncated)).toThrow(/damaged/);
    expect(() => unbake(new TextEncoder().encode('just text'))).toThrow(/neither a PNG nor an SVG/);
  });
});

describe('SVG baking', () => {
  it('adds the namespace and a CDATA credential right after the root tag, surviving "]]>"', () => {
    const baked = bakeSvg(badgeSvg, json);
    expect(baked).toContain('xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"');
    expect(baked.indexOf('<openbadges:credential>')).toBeLessThan(baked.indexOf('<circle'));
    expect(unbakeSvg(baked)).toEqual(json);
  });

  it('bakes a JWT into the verify attribute', () => {
    const baked = bakeSvg(badgeSvg, jwt);
    expect(baked).toContain(`<openbadges:credential verify="${jwt.jwt}">`);
    expect(unbake(new TextEncoder().encode(baked))).toEqual(jwt);
  });

  it('refuses to bake twice and ambiguous images', () => {
    const baked = bakeSvg(badgeSvg, json);
    expect(() => bakeSvg(baked, json)).toThrow(/already holds/);
    const doubled = baked.replace('</svg>', `<openbadges:credential verify="${jwt.jwt}"/></svg>`);
    expect(() => unbakeSvg(doubled)).toThrow(/more than one credential/);
    expect(() => unbakeSvg(badgeSvg)).toThrow(/holds no credential/);
  });

  it('parses safely: no DOCTYPE entities, no scripts, no handlers, no broken XML', () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`;
    expect(() => unbakeSvg(xxe)).toThrow(/DOCTYPE/);
    const lol = `<!DOCTYPE svg [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg">&b;</svg>`;
    expect(() => unbakeSvg(lol)).toThrow(/DOCTYPE/);
    expect(() => unbakeSvg(badgeSvg.replace('</svg>', '<script>alert(1)</script></svg>'))).toThrow(/script/);
    expect(() => unbakeSvg(badgeSvg.replace('<circle', '<circle onload="alert(1)"'))).toThrow(/event handler/);
    expect(() => unbakeSvg('<svg xmlns="http://www.w3.org/2000/svg"><g></svg>')).toThrow(/not well-formed/);
    expect(() => unbakeSvg('<html/>')).toThrow();
  });
});

describe('either kind', () => {
  it('detects the image kind and bakes accordingly', () => {
    expect(imageKind(solidPng())).toBe('png');
    expect(imageKind(new TextEncoder().encode(badgeSvg))).toBe('svg');
    expect(unbake(bake(new TextEncoder().encode(badgeSvg), json))).toEqual(json);
    expect(() => bake(new Uint8Array([1, 2, 3]), json)).toThrow(/Only PNG and SVG/);
  });
});
