import { deflateSync } from 'node:zlib';
import encodeChunks from 'png-chunks-encode';

/** A real, decodable PNG of the given size (solid colour), built from its chunks. */
export function solidPng(width = 4, height = 4, rgb: [number, number, number] = [29, 78, 216]): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => rgb).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return encodeChunks([
    { name: 'IHDR', data: header },
    { name: 'IDAT', data: pixels },
    { name: 'IEND', data: new Uint8Array() },
  ]);
}

export const badgeSvg = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">
  <circle cx="32" cy="32" r="30" fill="#1d4ed8"/>
  <path d="M20 33l8 8 16-18" fill="none" stroke="#fff" stroke-width="5"/>
</svg>
`;
