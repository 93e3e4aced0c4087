import type { PDFRawStream } from 'pdf-lib';
import { PDFArray, PDFDict, PDFDocument, PDFName, decodePDFRawStream, type PDFRef } from 'pdf-lib';
import fontkit from '@pdf-lib/fontkit';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { expect, it } from 'vitest';
import { certificatePdf, type CertificateModel } from './certificate.js';
import { verdictOf } from './verdict.js';

const model = (holderName: string, name: string, issuerName: string): CertificateModel => ({
  holderName,
  facts: {
    name,
    description: null,
    issuerName,
    issuedAt: new Date('2026-03-04T00:00:00Z'),
    validUntil: null,
    credentialId: 'urn:uuid:5f0c6c1e-8d3a-4f0e-9a7e-1d2c3b4a5968',
    summary: null,
  },
  verdict: verdictOf({ verified: true, checks: [] }),
  url: 'https://skillproof.test/c/abc',
});

/** The page's text as pdf.js extracts it: one entry per line (top to bottom), its items in page order (left to right). */
async function linesOf(pdf: Uint8Array): Promise<Array<{ items: TextItem[]; text: string }>> {
  const document = await getDocument({ data: pdf.slice(), useSystemFonts: false }).promise;
  const content = await (await document.getPage(1)).getTextContent();
  const byLine = new Map<number, TextItem[]>();
  for (const item of content.items) {
    if (!('str' in item) || item.str === '') continue;
    const y = Math.round(item.transform[5] as number);
    byLine.set(y, [...(byLine.get(y) ?? []), item]);
  }
  await document.destroy();
  return [...byLine.entries()]
    .sort(([a], [b]) => b - a)
    .map(([, items]) => {
      items.sort((a, b) => (a.transform[4] as number) - (b.transform[4] as number));
      return { items, text: items.map((item) => item.str).join('') };
    });
}

/** The `/ActualText` of every marked span in the page's content. */
async function actualTexts(pdf: Uint8Array): Promise<string[]> {
  const document = await PDFDocument.load(pdf);
  const contents = document.getPage(0).node.Contents();
  const refs = contents instanceof PDFArray ? contents.asArray() : [contents];
  const streams = refs.map((ref) => document.context.lookup(ref as PDFRef) as PDFRawStream);
  const text = streams
    .map((stream) => new TextDecoder('latin1').decode(decodePDFRawStream(stream).decode()))
    .join('\n');
  return [...text.matchAll(/\/ActualText <FEFF([0-9A-F]*)>/g)].map(([, hex]) => {
    const bytes = Buffer.from(hex!, 'hex');
    return bytes.swap16().toString('utf16le');
  });
}

const codePoints = (text: string) => [...text].sort();

it('prints names and titles in Arabic, Chinese, Devanagari and Cyrillic as written, with no "?"', async () => {
  const arabic = 'ليلى عبد الله';
  const chinese = '数据科学证书';
  const devanagari = 'प्रिया शर्मा विद्यालय';
  const pdf = await certificatePdf(model(arabic, chinese, devanagari));
  const lines = await linesOf(pdf);
  const all = lines.map((line) => line.text).join('\n');
  expect(all).not.toMatch(/[?\uFFFD]/);
  expect(lines[0]!.text).toBe('Certificate');

  // Arabic: pdf.js gives each right-to-left word in reading order, the words in page order (right to left).
  const name = lines.find((line) => line.items.some((item) => item.dir === 'rtl'))!;
  expect(
    name.items
      .map((item) => item.str)
      .reverse()
      .join(''),
  ).toBe(arabic);
  // Chinese: the characters of several range files, in order.
  expect(lines.map((line) => line.text)).toContain(chinese);
  // Devanagari: every character is drawn; pdf.js reads the glyphs in visual order (the i-matra ि before its
  // consonant, the reph after its syllable), so the line holds the same characters, and its ActualText the text.
  const issued = `Issued by ${devanagari} on 4 Mar 2026`;
  const issuedLine = lines.find((line) => line.text.startsWith('Issued by'))!;
  expect(codePoints(issuedLine.text)).toEqual(codePoints(issued));
  expect(await actualTexts(pdf)).toEqual([arabic, issued]);

  // Cyrillic, with Latin and brackets in the same line.
  const cyrillic = await certificatePdf(model('Анна Каренина', 'Основы SQL (уровень 2)', 'Школа №1'));
  const cyrillicLines = (await linesOf(cyrillic)).map((line) => line.text);
  expect(cyrillicLines).toEqual(expect.arrayContaining(['Анна Каренина', 'Основы SQL (уровень 2)']));
  expect(cyrillicLines).toContain('Issued by Школа №1 on 4 Mar 2026');
  expect(cyrillicLines.join('\n')).not.toMatch(/[?\uFFFD]/);
  // Nothing is reordered there, so nothing needs an ActualText.
  expect(await actualTexts(cyrillic)).toEqual([]);
});

it('embeds only the glyphs it draws', async () => {
  const latin = await certificatePdf(model('Grace Hopper', 'SQL basics', 'Northwind'));
  const all = await certificatePdf(model('ليلى عبد الله', '数据科学证书', 'प्रिया शर्मा विद्यालय'));
  // Noto Sans SC alone is ~1.5 MB per weight; subsetting keeps each certificate small.
  expect(latin.length).toBeLessThan(40_000);
  expect(all.length).toBeLessThan(60_000);
  const fonts = (await PDFDocument.load(all)).context
    .enumerateIndirectObjects()
    .filter(
      ([, object]) => object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor'),
    );
  // Noto Sans (both weights), Arabic and Chinese (bold), Devanagari (regular): each a subset of what is drawn.
  expect(fonts.length).toBeGreaterThanOrEqual(5);
  // Every embedded subset is a readable font whose glyphs all have outlines (a space has none): the Arabic
  // letters with dots are composite glyphs, which a misaligned subset used to leave blank.
  const document = await PDFDocument.load(all);
  for (const [, descriptor] of fonts) {
    const name = (descriptor as PDFDict).get(PDFName.of('FontName'))!.toString();
    const file = document.context.lookup((descriptor as PDFDict).get(PDFName.of('FontFile2'))) as PDFRawStream;
    const font = fontkit.create(decodePDFRawStream(file).decode());
    const blank: number[] = [];
    for (let gid = 1; gid < font.numGlyphs; gid++) {
      const glyph = font.getGlyph(gid);
      if ((glyph.path as unknown as { commands: unknown[] }).commands.length === 0) blank.push(gid);
    }
    // Only Noto Sans draws the spaces (a subset keeps no character map to tell which glyph that is).
    const spaces = /Arabic|Devanagari|SC/.test(name) ? 0 : 1;
    expect({ name, blank: blank.length }).toEqual({ name, blank: spaces });
  }
});

it('draws characters no font holds as U+FFFD, never "?", and keeps the rest', async () => {
  const pdf = await certificatePdf(model('Ada \u{1D11E} Lovelace', 'Music', 'Northwind'));
  const lines = (await linesOf(pdf)).map((line) => line.text);
  expect(lines.join('\n')).not.toContain('?');
  expect(lines.some((line) => line.startsWith('Ada') && line.endsWith('Lovelace'))).toBe(true);
});
