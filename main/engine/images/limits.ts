/** Input limits for decoding, in one place so the UI can quote them. */

/** Largest image (width × height of one frame) decoded: 100 megapixels. Passed to sharp's `limitInputPixels`. */
export const MAX_INPUT_PIXELS = 100_000_000;
/** Largest file read into memory for decoding (512 MiB). */
export const MAX_INPUT_BYTES = 512 * 1024 * 1024;
/** Files larger than this must look like an image by their first bytes before being read whole. */
export const SNIFF_ABOVE_BYTES = 16 * 1024 * 1024;
/** Largest side a prepared (square) image may have. */
export const MAX_PREPARED_SIZE = 4096;
