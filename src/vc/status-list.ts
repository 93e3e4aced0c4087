import { randomInt } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { contextUrls } from './contexts.js';
import { VcError } from './errors.js';

/** Bitstring Status List v1.0: the list, its entries and its credential. */
export type StatusPurpose = 'revocation' | 'suspension';

/** The spec's minimum: 131,072 entries (16 KiB), so one credential hides among many (herd privacy). */
export const minimumListLength = 131_072;
// A decoded list larger than this is refused, so a crafted gzip cannot exhaust memory.
const maximumListBytes = 16 * 1024 * 1024;

export class Bitstring {
  readonly bytes: Uint8Array;

  constructor(lengthOrBytes: number | Uint8Array) {
    if (typeof lengthOrBytes === 'number') {
      if (!Number.isInteger(lengthOrBytes) || lengthOrBytes % 8 !== 0 || lengthOrBytes <= 0) {
        throw new VcError('status-list', 'A status list length is a positive multiple of 8.');
      }
      this.bytes = new Uint8Array(lengthOrBytes / 8);
    } else {
      this.bytes = lengthOrBytes;
    }
  }

  get length(): number {
    return this.bytes.length * 8;
  }

  // Index 0 is the left-most (most significant) bit of the first byte.
  get(index: number): boolean {
    this.check(index);
    return (this.bytes[index >> 3]! & (0x80 >> (index & 7))) !== 0;
  }

  set(index: number, value: boolean): void {
    this.check(index);
    const mask = 0x80 >> (index & 7);
    this.bytes[index >> 3] = value ? this.bytes[index >> 3]! | mask : this.bytes[index >> 3]! & ~mask;
  }

  private check(index: number) {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new VcError('status-list', `Status list index ${index} is outside the list (0 to ${this.length - 1}).`);
    }
  }

  /** Multibase base64url (no padding) of the GZIP-compressed bits: the `encodedList` value. */
  encode(): string {
    return 'u' + gzipSync(this.bytes).toString('base64url');
  }

  static decode(encodedList: string): Bitstring {
    if (typeof encodedList !== 'string' || !/^u[A-Za-z0-9_-]+$/.test(encodedList)) {
      throw new VcError('status-list', 'The encoded status list is not multibase base64url.');
    }
    try {
      return new Bitstring(
        new Uint8Array(
          gunzipSync(Buffer.from(encodedList.slice(1), 'base64url'), { maxOutputLength: maximumListBytes }),
        ),
      );
    } catch {
      throw new VcError('status-list', 'The status list could not be decompressed.');
    }
  }
}

export interface StatusListEntry {
  id?: string;
  type: 'BitstringStatusListEntry';
  statusPurpose: StatusPurpose | string;
  statusListIndex: string;
  statusListCredential: string;
  statusSize?: number;
}

export function statusEntry(listUrl: string, purpose: StatusPurpose, index: number): StatusListEntry {
  return {
    id: `${listUrl}#${index}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: purpose,
    statusListIndex: String(index),
    statusListCredential: listUrl,
  };
}

/** The unsigned BitstringStatusListCredential publishing a list. */
export function statusListCredential(input: {
  url: string;
  issuer: string;
  purpose: StatusPurpose;
  list: Bitstring;
  validFrom: string;
  validUntil?: string;
}): Record<string, unknown> {
  return {
    '@context': [contextUrls.credentialsV2],
    id: input.url,
    type: ['VerifiableCredential', 'BitstringStatusListCredential'],
    issuer: input.issuer,
    validFrom: input.validFrom,
    ...(input.validUntil ? { validUntil: input.validUntil } : {}),
    credentialSubject: {
      id: `${input.url}#list`,
      type: 'BitstringStatusList',
      statusPurpose: input.purpose,
      encodedList: input.list.encode(),
    },
  };
}

/** A uniformly random index not yet used, so list positions reveal nothing about issue order. */
export function randomFreeIndex(length: number, isUsed: (index: number) => boolean, attempts = 64): number | undefined {
  for (let i = 0; i < attempts; i++) {
    const index = randomInt(length);
    if (!isUsed(index)) return index;
  }
  return undefined;
}

/**
 * A status list as a verifier keeps it once its credential has been checked: who published it, for which
 * purposes, and the decoded bits (no JSON, no encoded text), so a cache of lists costs what the bits cost.
 */
export interface CompactStatusList {
  issuer: string | undefined;
  purposes: string[];
  bits: Bitstring;
}

/** The bytes a compact list holds (for caches bounded by size). */
export function compactListBytes(list: CompactStatusList): number {
  return list.bits.bytes.byteLength + 2 * (list.issuer?.length ?? 0) + 16 * list.purposes.length + 64;
}

/** Reads a status list credential into its compact form (after the caller has verified the list's proof). */
export function compactStatusList(listCredential: Record<string, unknown>, url: string): CompactStatusList {
  const subject = listCredential.credentialSubject as
    { statusPurpose?: unknown; encodedList?: unknown; type?: unknown } | undefined;
  const types = [listCredential.type].flat();
  if (!types.includes('BitstringStatusListCredential') || !subject || typeof subject !== 'object') {
    throw new VcError('status-list', `${url} is not a BitstringStatusListCredential.`);
  }
  const purposes = [subject.statusPurpose].flat().filter((p): p is string => typeof p === 'string');
  const bits = Bitstring.decode(subject.encodedList as string);
  if (bits.length < minimumListLength) {
    throw new VcError(
      'status-list',
      `The status list has ${bits.length} entries, fewer than the ${minimumListLength} required.`,
    );
  }
  const issuer = listCredential.issuer;
  const issuerId =
    typeof issuer === 'string'
      ? issuer
      : issuer && typeof issuer === 'object' && typeof (issuer as { id?: unknown }).id === 'string'
        ? (issuer as { id: string }).id
        : undefined;
  return { issuer: issuerId, purposes, bits };
}

/** The status a compact list gives an entry: true when its bit is set. */
export function statusOf(entry: StatusListEntry, list: CompactStatusList): boolean {
  if (!list.purposes.includes(entry.statusPurpose)) {
    throw new VcError('status-list', `The status list is for ${list.purposes.join(', ')}, not ${entry.statusPurpose}.`);
  }
  if (!/^\d+$/.test(String(entry.statusListIndex))) {
    throw new VcError('status-list', 'The status list index is not a number.');
  }
  return list.bits.get(Number(entry.statusListIndex));
}

/** Reads the status a list credential gives an entry (after the caller has verified the list's proof). */
export function readStatus(entry: StatusListEntry, listCredential: Record<string, unknown>): boolean {
  return statusOf(entry, compactStatusList(listCredential, entry.statusListCredential));
}
