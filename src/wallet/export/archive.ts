import { zipSync, type Zippable } from 'fflate';
import { DomainError } from '../../platform/errors.js';
import type { Holding } from '../wallet.js';
import { safeFilename, type ExportFormat, type Exporter } from './formats.js';

/** One holding's entry in the archive's manifest.json. */
export interface ManifestEntry {
  holdingId: string;
  kind: Holding['kind'];
  format: Holding['format'];
  name: string | null;
  addedAt: string;
  files: { path: string; mediaType: string }[];
  /** Files that could not be made, and why. */
  skipped: { format: ExportFormat; reason: string }[];
}

export interface Manifest {
  description: string;
  exportedAt: string;
  holdings: ManifestEntry[];
}

/**
 * All of a learner's credentials as one zip: each in the format it is held in (JSON or compact JWT) plus a
 * baked PNG, one folder per credential, and a manifest.json saying what is where. PNGs are stored, not
 * deflated again (they are compressed already).
 */
export async function walletArchive(holdings: Holding[], exporter: Exporter, now: Date): Promise<Uint8Array> {
  const files: Zippable = {};
  const entries: ManifestEntry[] = [];
  const width = String(holdings.length).length;
  for (const [index, holding] of holdings.entries()) {
    const folder = `${String(index + 1).padStart(width, '0')}-${safeFilename(holding.name, '').replace(/\.$/, '')}`;
    const entry: ManifestEntry = {
      holdingId: holding.id,
      kind: holding.kind,
      format: holding.format,
      name: holding.name,
      addedAt: holding.addedAt.toISOString(),
      files: [],
      skipped: [],
    };
    const held: ExportFormat = holding.format === 'jwt' ? 'jwt' : 'json';
    for (const format of [held, 'png'] as ExportFormat[]) {
      if (holding.format === 'ob2' && format === 'png') continue;
      try {
        const file = await exporter.exportHolding(holding, format);
        const path = `${folder}/${file.filename}`;
        files[path] = format === 'png' ? [file.body, { level: 0 }] : file.body;
        entry.files.push({ path, mediaType: file.mediaType });
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        entry.skipped.push({ format, reason: error.message });
      }
    }
    entries.push(entry);
  }
  const manifest: Manifest = {
    description:
      'Credentials exported from a Skillproof wallet: each as held (JSON with its proof, or a VC-JWT) and as a baked PNG badge.',
    exportedAt: now.toISOString(),
    holdings: entries,
  };
  files['manifest.json'] = Buffer.from(JSON.stringify(manifest, null, 2), 'utf8');
  return zipSync(files, { level: 6 });
}
