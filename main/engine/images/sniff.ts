/**
 * Image format by magic bytes. Used (1) to reject a big non-image (a video next to the photos) after reading
 * 64 bytes instead of the whole file, and (2) to name the format in an error when the decoder could not even
 * parse the header. The decoder (sharp) stays the authority on what it can read.
 */

/** Bytes needed by `sniffFormat`. */
export const SNIFF_BYTES = 64;

export interface Sniffed {
  /** Display name: "JPEG", "PNG", … */
  label: string;
  /** Whether sharp, as shipped, decodes it. */
  decodable: boolean;
}

const ascii = (b: Uint8Array, start: number, end: number) => String.fromCharCode(...b.subarray(start, end));
const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((v, i) => b[at + i] === v);

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes start as a PNG file does (what the store checks before keeping an image). */
export function isPng(bytes: Uint8Array): boolean {
  return startsWith(bytes, PNG_SIGNATURE);
}

const HEIF_BRANDS: Record<string, string> = {
  avif: 'AVIF', avis: 'AVIF', heic: 'HEIF', heix: 'HEIF', hevc: 'HEIF', heim: 'HEIF', heis: 'HEIF', mif1: 'HEIF', msf1: 'HEIF',
};

export function sniffFormat(head: Uint8Array): Sniffed | undefined {
  const yes = (label: string): Sniffed => ({ label, decodable: true });
  const no = (label: string): Sniffed => ({ label, decodable: false });
  if (startsWith(head, [0xff, 0xd8, 0xff])) return yes('JPEG');
  if (isPng(head)) return yes('PNG');
  if (ascii(head, 0, 4) === 'GIF8') return yes('GIF');
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return yes('WebP');
  if (startsWith(head, [0x49, 0x49, 0x2a, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2a])) return yes('TIFF');
  if (startsWith(head, [0x49, 0x49, 0x2b, 0x00]) || startsWith(head, [0x4d, 0x4d, 0x00, 0x2b])) return yes('TIFF');
  if (ascii(head, 4, 8) === 'ftyp') {
    const brand = HEIF_BRANDS[ascii(head, 8, 12)];
    return brand ? yes(brand) : undefined; // other ftyp files are videos (mp4, mov, 3gp)
  }
  if (ascii(head, 0, 2) === 'BM') return no('BMP');
  if (ascii(head, 0, 4) === '8BPS') return no('PSD');
  if (startsWith(head, [0x00, 0x00, 0x01, 0x00])) return no('ICO');
  if (startsWith(head, [0xff, 0x0a]) || startsWith(head, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20])) return no('JPEG XL');
  if (startsWith(head, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return no('JPEG 2000');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<svg') || text.startsWith('<?xml')) return yes('SVG');
  return undefined;
}

/** Display name for sharp's `metadata().format` (AVIF is sharp's "heif" with AV1 compression). */
export function formatLabel(format: string | undefined, compression?: string): string {
  switch (format) {
    case 'jpeg': return 'JPEG';
    case 'png': return 'PNG';
    case 'webp': return 'WebP';
    case 'gif': return 'GIF';
    case 'tiff': return 'TIFF';
    case 'svg': return 'SVG';
    case 'heif': return compression === 'av1' ? 'AVIF' : 'HEIF';
    case 'jp2': return 'JPEG 2000';
    case 'jxl': return 'JPEG XL';
    default: return format ? format.toUpperCase() : 'image';
  }
}
