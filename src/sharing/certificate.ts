import { PDFDocument, StandardFonts, rgb, type PDFFont } from 'pdf-lib';
import QRCode from 'qrcode';
import { fallbackLocale, formatDay } from '../platform/dates.js';
import type { CredentialFacts } from './sharing.js';
import type { Verdict } from './verdict.js';

export interface CertificateModel {
  holderName: string;
  facts: CredentialFacts;
  verdict: Verdict;
  /** The public verification page the QR code opens. */
  url: string;
  /** The reader's locale: dates as they write them (in English when its characters are not in the PDF font). */
  locale?: string | undefined;
}

/** The standard PDF fonts cover WinAnsi only: any other character is shown as "?" instead of failing. */
function printable(text: string, font: PDFFont): string {
  const supported = new Set(font.getCharacterSet());
  return [...text.normalize('NFC')].map((c) => (supported.has(c.codePointAt(0)!) ? c : '?')).join('');
}

/** Splits text into lines that fit `width` at `size`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A one-page A4 landscape certificate with a QR code of the public verification page. */
export async function certificatePdf(model: CertificateModel): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${model.facts.name}: ${model.holderName}`);
  pdf.setSubject(`Certificate of ${model.facts.name}, verifiable at ${model.url}`);
  pdf.setCreator('Skillproof');
  const page = pdf.addPage([842, 595]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const { width, height } = page.getSize();
  const ink = rgb(0.1, 0.12, 0.14);
  const muted = rgb(0.3, 0.33, 0.37);

  page.drawRectangle({
    x: 24,
    y: 24,
    width: width - 48,
    height: height - 48,
    borderColor: rgb(0.04, 0.31, 0.61),
    borderWidth: 3,
  });

  const formatDate = (date: Date) => {
    const day = formatDay(date, model.locale);
    return printable(day, regular) === day.normalize('NFC') ? day : formatDay(date, fallbackLocale);
  };
  const centered = (text: string, y: number, font: PDFFont, size: number, color = ink) => {
    const safe = printable(text, font);
    for (const [i, line] of wrap(safe, font, size, width - 160).entries()) {
      page.drawText(line, {
        x: (width - font.widthOfTextAtSize(line, size)) / 2,
        y: y - i * size * 1.25,
        size,
        font,
        color,
      });
    }
  };

  centered('Certificate', height - 110, bold, 34);
  centered('This certifies that', height - 160, regular, 14, muted);
  centered(model.holderName, height - 200, bold, 26);
  centered('has earned', height - 235, regular, 14, muted);
  centered(model.facts.name, height - 275, bold, 22);
  centered(`Issued by ${model.facts.issuerName} on ${formatDate(model.facts.issuedAt)}`, height - 330, regular, 13);
  if (model.facts.validUntil) centered(`Valid until ${formatDate(model.facts.validUntil)}`, height - 350, regular, 12);

  const qr = await QRCode.toBuffer(model.url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const image = await pdf.embedPng(qr);
  const side = 110;
  page.drawImage(image, { x: width - 60 - side, y: 60, width: side, height: side });
  const note = [
    'Scan the code, or open the address below, to check this',
    'credential with its issuer (revocation included):',
  ];
  note.forEach((line, i) => page.drawText(line, { x: 60, y: 140 - i * 14, size: 10, font: regular, color: muted }));
  page.drawText(printable(model.url, regular), { x: 60, y: 105, size: 9, font: regular, color: ink });
  page.drawText(printable(`Credential id: ${model.facts.credentialId}`, regular), {
    x: 60,
    y: 88,
    size: 9,
    font: regular,
    color: muted,
  });
  return pdf.save();
}
