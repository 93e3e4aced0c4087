import { PDFDocument, rgb, type RGB } from 'pdf-lib';
import QRCode from 'qrcode';
import { fallbackLocale, formatDay } from '../platform/dates.js';
import type { CredentialFacts } from './sharing.js';
import type { Verdict } from './verdict.js';
import { drawable, PdfText } from './pdf-text.js';

export interface CertificateModel {
  holderName: string;
  facts: CredentialFacts;
  verdict: Verdict;
  /** The public verification page the QR code opens. */
  url: string;
  /** The reader's locale: dates as they write them (in English when its characters are not in the PDF fonts). */
  locale?: string | undefined;
}

/** A day as the reader's locale writes it; in English when the fonts lack its characters. */
function formatDate(date: Date, locale: string | undefined): string {
  const day = formatDay(date, locale);
  return drawable(day) ? day : formatDay(date, fallbackLocale);
}

/** A one-page A4 landscape certificate with a QR code of the public verification page. */
export async function certificatePdf(model: CertificateModel): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(`${model.facts.name}: ${model.holderName}`);
  pdf.setSubject(`Certificate of ${model.facts.name}, verifiable at ${model.url}`);
  pdf.setCreator('Skillproof');
  const page = pdf.addPage([842, 595]);
  // Noto fonts, subset, so that names and titles in any script print as written (not "?").
  const text = new PdfText(pdf);
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

  const drawLine = (line: string, x: number, y: number, bold: boolean, size: number, color: RGB) =>
    text.draw(page, line, x, y, { bold, size, color });
  const centered = async (value: string, y: number, bold: boolean, size: number, color = ink) => {
    for (const [i, line] of (await text.wrap(value, bold, size, width - 160)).entries()) {
      const { width: lineWidth } = await text.line(line, bold, size);
      await drawLine(line, (width - lineWidth) / 2, y - i * size * 1.25, bold, size, color);
    }
  };

  await centered('Certificate', height - 110, true, 34);
  await centered('This certifies that', height - 160, false, 14, muted);
  await centered(model.holderName, height - 200, true, 26);
  await centered('has earned', height - 235, false, 14, muted);
  await centered(model.facts.name, height - 275, true, 22);
  await centered(
    `Issued by ${model.facts.issuerName} on ${formatDate(model.facts.issuedAt, model.locale)}`,
    height - 330,
    false,
    13,
  );
  if (model.facts.validUntil)
    await centered(`Valid until ${formatDate(model.facts.validUntil, model.locale)}`, height - 350, false, 12);

  const qr = await QRCode.toBuffer(model.url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const image = await pdf.embedPng(qr);
  const side = 110;
  page.drawImage(image, { x: width - 60 - side, y: 60, width: side, height: side });
  const note = [
    'Scan the code, or open the address below, to check this',
    'credential with its issuer (revocation included):',
  ];
  for (const [i, line] of note.entries()) await drawLine(line, 60, 140 - i * 14, false, 10, muted);
  await drawLine(model.url, 60, 105, false, 9, ink);
  await drawLine(`Credential id: ${model.facts.credentialId}`, 60, 88, false, 9, muted);
  return pdf.save();
}
