// fontkit's Indic and Universal shapers are compiled generators that expect a global regenerator runtime.
import 'regenerator-runtime/runtime.js';
import fontkit, { type Font as FontkitFont } from '@pdf-lib/fontkit';
import bidiModule from 'bidi-js';
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { createRequire } from 'node:module';
import {
  PDFHexString,
  PDFName,
  PDFOperator,
  PDFOperatorNames,
  type PDFDocument,
  type PDFFont,
  type PDFPage,
  type RGB,
} from 'pdf-lib';

/**
 * Text in any of the scripts a certificate meets, set with Noto fonts from the `@fontsource` packages (SIL Open
 * Font License 1.1, Google Inc. and the Noto Project Authors): Noto Sans for Latin, Greek and Cyrillic, Noto Sans
 * Arabic, Noto Sans Devanagari and Noto Sans SC for Chinese (and the rest of CJK it holds). Fontsource ships each
 * font cut into files by Unicode range (`unicode.json`); only the files a text needs are read, and each is embedded
 * as a subset holding only the glyphs drawn.
 *
 * Shaping is fontkit's (through pdf-lib): Arabic joining forms and lam-alef, Devanagari conjuncts, reph and the
 * reordered i-matra. Lines are put in visual order with the Unicode bidirectional algorithm (bidi-js), so Arabic
 * reads right to left inside Latin text and the other way round, with mirrored brackets. Not handled: vertical CJK,
 * Arabic kashida justification, and scripts none of these fonts covers (drawn as U+FFFD, never "?").
 */

type Weight = 400 | 700;

interface Face {
  /** npm package, e.g. `@fontsource/noto-sans`. */
  pkg: string;
  /** Fontsource's file stem, e.g. `noto-sans-arabic-arabic`. */
  stem: string;
  ranges: Array<[number, number]>;
  features?: Record<string, boolean>;
  /** Shaping may draw its glyphs in an order other than the characters'. */
  reorders?: boolean;
}

const require = createRequire(import.meta.url);

/** The fonts in the order they are tried; a subset list picks which of a package's range files are used. */
const FAMILIES: Array<{
  pkg: string;
  id: string;
  subsets: (key: string) => boolean;
  features?: Record<string, boolean>;
  reorders?: boolean;
}> = [
  {
    pkg: '@fontsource/noto-sans',
    id: 'noto-sans',
    subsets: (key) =>
      ['latin', 'latin-ext', 'cyrillic', 'cyrillic-ext', 'greek', 'greek-ext', 'vietnamese'].includes(key),
  },
  // Without `ccmp` Noto Sans Arabic draws each letter with its dots as one glyph. With it, the dots are mark glyphs
  // placed by GPOS offsets, which pdf-lib does not apply, and which stand for no character when text is extracted.
  {
    pkg: '@fontsource/noto-sans-arabic',
    id: 'noto-sans-arabic',
    subsets: (key) => key === 'arabic',
    features: { ccmp: false },
    reorders: true,
  },
  {
    pkg: '@fontsource/noto-sans-devanagari',
    id: 'noto-sans-devanagari',
    subsets: (key) => key === 'devanagari',
    reorders: true,
  },
  // Noto Sans SC is cut into ~100 numbered range files; only those holding characters of the text are read.
  { pkg: '@fontsource/noto-sans-sc', id: 'noto-sans-sc', subsets: (key) => /^\[\d+\]$/.test(key) },
];

function parseRanges(list: string): Array<[number, number]> {
  return list.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-');
    const start = parseInt(from!, 16);
    return [start, to === undefined ? start : parseInt(to, 16)];
  });
}

let faces: Face[] | undefined;
function allFaces(): Face[] {
  faces ??= FAMILIES.flatMap(({ pkg, id, subsets, features, reorders }) => {
    const table = JSON.parse(readFileSync(require.resolve(`${pkg}/unicode.json`), 'utf8')) as Record<string, string>;
    return Object.entries(table)
      .filter(([key]) => subsets(key))
      .map(([key, list]) => ({
        pkg,
        stem: `${id}-${key.replace(/^\[(\d+)\]$/, '$1')}`,
        ranges: parseRanges(list),
        features,
        reorders,
      }));
  });
  return faces;
}

const covers = (face: Face, cp: number) => face.ranges.some(([from, to]) => cp >= from && cp <= to);

const fileOf = (face: Face, weight: Weight) => require.resolve(`${face.pkg}/files/${face.stem}-${weight}-normal.woff`);

/**
 * fontkit 1's TrueType subsetter (pdf-lib's) writes a short `loca` table whenever the glyph data is under 128 kB,
 * but a short `loca` holds offsets halved, and Noto's glyphs have odd lengths (their fonts use the long form): every
 * glyph after the first odd one would be read from the wrong place, and the Arabic letters with dots (composites)
 * vanished. Padding each glyph to an even length, as the TrueType format recommends, keeps every offset exact.
 */
interface TrueTypeSubset {
  glyf: Uint8Array[];
  offset: number;
  _addGlyph(gid: number): number;
}
let subsetterPadded = false;
function padSubsetGlyphs(font: FontkitFont): void {
  if (subsetterPadded) return;
  const subset = font.createSubset() as unknown as TrueTypeSubset;
  const proto = Object.getPrototypeOf(subset) as TrueTypeSubset;
  if (typeof proto._addGlyph !== 'function') return; // a CFF font: its subsetter has no loca
  const addGlyph = proto._addGlyph;
  proto._addGlyph = function (this: TrueTypeSubset, gid: number): number {
    const index = addGlyph.call(this, gid);
    const data = this.glyf[index]!;
    if (data.length % 2 === 1) {
      // The same Buffer class as fontkit's own (its bundled polyfill), which its encoder insists on.
      const padded = (data.constructor as unknown as { alloc(size: number): Uint8Array }).alloc(data.length + 1);
      padded.set(data);
      this.glyf[index] = padded;
      this.offset += 1;
    }
    return index;
  };
  subsetterPadded = true;
}

/**
 * A WOFF 1 file as the plain TrueType/OpenType font it wraps. fontkit reads WOFF directly but inflates a whole table
 * on every access (the `glyf` table once per glyph), which made a certificate cost ~0.5 s of CPU.
 */
export function sfntOfWoff(woff: Uint8Array): Uint8Array {
  const input = Buffer.from(woff.buffer, woff.byteOffset, woff.byteLength);
  if (input.toString('latin1', 0, 4) !== 'wOFF') return woff;
  const numTables = input.readUInt16BE(12);
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20;
    const [offset, compLength, origLength] = [
      input.readUInt32BE(at + 4),
      input.readUInt32BE(at + 8),
      input.readUInt32BE(at + 12),
    ];
    const stored = input.subarray(offset, offset + compLength);
    return {
      tag: input.subarray(at, at + 4),
      checksum: input.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(stored) : stored,
    };
  });
  const headerSize = 12 + 16 * numTables;
  const size = tables.reduce((sum, table) => sum + Math.ceil(table.data.length / 4) * 4, headerSize);
  const out = Buffer.alloc(size);
  out.writeUInt32BE(input.readUInt32BE(4), 0); // flavor: TrueType or CFF
  out.writeUInt16BE(numTables, 4);
  const entrySelector = Math.floor(Math.log2(numTables));
  out.writeUInt16BE(2 ** entrySelector * 16, 6);
  out.writeUInt16BE(entrySelector, 8);
  out.writeUInt16BE(numTables * 16 - 2 ** entrySelector * 16, 10);
  let offset = headerSize;
  tables.forEach((table, i) => {
    const at = 12 + i * 16;
    table.tag.copy(out, at);
    out.writeUInt32BE(table.checksum, at + 4);
    out.writeUInt32BE(offset, at + 8);
    out.writeUInt32BE(table.data.length, at + 12);
    table.data.copy(out, offset);
    offset += Math.ceil(table.data.length / 4) * 4;
  });
  return out;
}

/** Font files read once per process (each a few tens of kilobytes; the Chinese files ~50–150 kB). */
const bytesCache = new Map<string, Uint8Array>();
const parsedCache = new Map<string, FontkitFont>();
function fontFile(face: Face, weight: Weight): { bytes: Uint8Array; font: FontkitFont } {
  const path = fileOf(face, weight);
  let bytes = bytesCache.get(path);
  if (!bytes) bytesCache.set(path, (bytes = sfntOfWoff(readFileSync(path))));
  let font = parsedCache.get(path);
  if (!font) {
    parsedCache.set(path, (font = fontkit.create(bytes)));
    padSubsetGlyphs(font);
  }
  return { bytes, font };
}

/** The first face that really draws `cp` (a range file's unicode-range can name more than it holds). */
function faceFor(cp: number, weight: Weight): Face | undefined {
  return allFaces().find((face) => covers(face, cp) && fontFile(face, weight).font.hasGlyphForCodePoint(cp));
}

/** Characters of no script of their own (spaces, punctuation, digits, combining marks, joiners). */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

/** Whether every character of `text` has a glyph in the certificate's fonts (else it would be drawn as U+FFFD). */
export function drawable(text: string): boolean {
  return [...text.normalize('NFC')].every(
    (char) => NEUTRAL.test(char) || faceFor(char.codePointAt(0)!, 400) !== undefined,
  );
}
const REPLACEMENT = '\uFFFD';

interface Piece {
  /** UTF-16 offsets in the line, end exclusive. */
  start: number;
  end: number;
  char: string;
  face: Face;
}

/** Splits a line into characters with the face that draws each; neutrals stay in the face before them when it can. */
function assignFaces(line: string, weight: Weight): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  for (const original of line) {
    const start = offset;
    offset += original.length;
    let char = original;
    const cp = char.codePointAt(0)!;
    const previous = pieces.at(-1)?.face;
    let face =
      previous && NEUTRAL.test(char) && covers(previous, cp) && fontFile(previous, weight).font.hasGlyphForCodePoint(cp)
        ? previous
        : faceFor(cp, weight);
    if (!face) {
      char = REPLACEMENT;
      face = faceFor(REPLACEMENT.codePointAt(0)!, weight)!;
    }
    pieces.push({ start, end: offset, char, face });
  }
  return pieces;
}

// bidi-js is CommonJS whose module.exports is the factory; its types declare it as the default export.
type BidiFactory = typeof bidiModule.default;
const bidiFactory = (
  typeof bidiModule === 'function' ? bidiModule : (bidiModule as { default: BidiFactory }).default
) as BidiFactory;
const bidi = bidiFactory();

export interface DrawOptions {
  bold: boolean;
  size: number;
  color: RGB;
}

export interface VisualRun {
  /** The string handed to pdf-lib, which shapes it (and reverses it when fontkit lays its script right to left). */
  text: string;
  font: PDFFont;
  width: number;
}

/** Embeds the fonts a document's text needs, one subset per range file and weight. */
export class PdfText {
  readonly #pdf: PDFDocument;
  readonly #embedded = new Map<string, Promise<PDFFont>>();
  /** Wrapping measures a line, centring measures it again and drawing lays it out: each is laid out once. */
  readonly #lines = new Map<string, Promise<{ runs: VisualRun[]; width: number; reordered: boolean }>>();

  constructor(pdf: PDFDocument) {
    this.#pdf = pdf;
    pdf.registerFontkit(fontkit);
  }

  #font(face: Face, weight: Weight): Promise<PDFFont> {
    const path = fileOf(face, weight);
    let font = this.#embedded.get(path);
    if (!font) {
      font = this.#pdf.embedFont(fontFile(face, weight).bytes, { subset: true, features: face.features });
      this.#embedded.set(path, font);
    }
    return font;
  }

  /** One line of text as runs in visual order (left to right on the page). */
  line(text: string, bold: boolean, size: number): Promise<{ runs: VisualRun[]; width: number; reordered: boolean }> {
    const key = `${bold ? 'b' : 'r'}${size}|${text}`;
    let laid = this.#lines.get(key);
    if (!laid) this.#lines.set(key, (laid = this.#layOut(text, bold, size)));
    return laid;
  }

  async #layOut(
    text: string,
    bold: boolean,
    size: number,
  ): Promise<{ runs: VisualRun[]; width: number; reordered: boolean }> {
    const weight: Weight = bold ? 700 : 400;
    const line = text.normalize('NFC');
    const pieces = assignFaces(line, weight);
    if (pieces.length === 0) return { runs: [], width: 0, reordered: false };
    const levels = bidi.getEmbeddingLevels(line);
    const mirrored = bidi.getMirroredCharactersMap(line, levels.levels);
    const pieceAt = new Map(pieces.map((piece) => [piece.start, piece]));
    // Visual order of the characters: the bidi order of UTF-16 offsets, keeping each surrogate pair's first offset.
    const visual = bidi
      .getReorderedIndices(line, levels)
      .map((index) => pieceAt.get(index))
      .filter((piece): piece is Piece => piece !== undefined);

    const groups: Piece[][] = [];
    for (const piece of visual) {
      const group = groups.at(-1);
      const last = group?.at(-1);
      const adjacent = last && (last.end === piece.start || piece.end === last.start);
      if (
        group &&
        last &&
        adjacent &&
        last.face === piece.face &&
        levels.levels[last.start] === levels.levels[piece.start]
      )
        group.push(piece);
      else groups.push([piece]);
    }

    const runs: VisualRun[] = [];
    for (const group of groups) {
      const face = group[0]!.face;
      const visualText = group.map((piece) => mirrored.get(piece.start) ?? piece.char).join('');
      // fontkit reverses a run whose script it lays right to left; give it the logical order then.
      const rtl = fontFile(face, weight).font.layout(visualText, face.features).direction === 'rtl';
      const runText = rtl ? [...visualText].reverse().join('') : visualText;
      const font = await this.#font(face, weight);
      runs.push({ text: runText, font, width: font.widthOfTextAtSize(runText, size) });
    }
    const reordered = pieces.some((piece) => piece.face.reorders === true || levels.levels[piece.start]! % 2 === 1);
    return { runs, width: runs.reduce((sum, run) => sum + run.width, 0), reordered };
  }

  /**
   * Draws one line from `x`, its runs in visual order. When that order or the shaping leaves the glyphs in an order
   * other than the text's (right-to-left runs, Devanagari's reordered vowel signs and reph), the line is marked with
   * its text as `/ActualText`, which readers that honour it (Acrobat, Poppler, MuPDF) copy and search instead.
   */
  async draw(page: PDFPage, line: string, x: number, y: number, options: DrawOptions): Promise<number> {
    const { runs, width, reordered } = await this.line(line, options.bold, options.size);
    if (reordered)
      page.pushOperators(
        PDFOperator.of(PDFOperatorNames.BeginMarkedContentSequence, [
          PDFName.of('Span'),
          // An inline property dictionary: pdf-lib writes any PDF object operand, though its type names fewer.
          this.#pdf.context.obj({ ActualText: PDFHexString.fromText(line.normalize('NFC')) }) as unknown as PDFName,
        ]),
      );
    for (const run of runs) {
      page.drawText(run.text, { x, y, size: options.size, font: run.font, color: options.color });
      x += run.width;
    }
    if (reordered) page.pushOperators(PDFOperator.of(PDFOperatorNames.EndMarkedContent));
    return width;
  }

  /** Splits text at spaces into lines no wider than `width`. */
  async wrap(text: string, bold: boolean, size: number, width: number): Promise<string[]> {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (!line || (await this.line(candidate, bold, size)).width <= width) line = candidate;
      else {
        lines.push(line);
        line = word;
      }
    }
    if (line) lines.push(line);
    return lines;
  }
}
