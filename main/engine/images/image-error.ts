/** The one error type image decoding throws: a short reason fit to show a user, plus a machine-readable code. */

export type ImageErrorCode =
  | 'empty' // 0-byte file
  | 'not-image' // no image format recognised by content
  | 'unsupported' // an image format this build cannot decode (BMP, PSD, …)
  | 'corrupt' // recognised format, but truncated or invalid data
  | 'too-many-pixels' // above MAX_INPUT_PIXELS
  | 'too-large' // file above MAX_INPUT_BYTES
  | 'unreadable' // the OS refused (permission, I/O error, not a regular file, …)
  | 'out-of-memory'
  | 'decode-failed'; // anything else the decoder reported

export class ImageError extends Error {
  override readonly name = 'ImageError';
  readonly code: ImageErrorCode;
  /** Short user-facing reason, e.g. "truncated or corrupt JPEG data". Equals `message` unless a caller prefixed it. */
  readonly reason: string;
  /** The file concerned, when known. */
  readonly path?: string;
  /** The decoder's or OS's own message, for logs (not for users). */
  readonly detail?: string;

  constructor(code: ImageErrorCode, reason: string, opts: { path?: string; detail?: string; message?: string; cause?: unknown } = {}) {
    super(opts.message ?? reason, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.reason = reason;
    if (opts.path !== undefined) this.path = opts.path;
    if (opts.detail !== undefined) this.detail = opts.detail;
  }

  /** Same error with a new path and message (used to name the file in one-off errors). */
  withMessage(message: string, path?: string): ImageError {
    return new ImageError(this.code, this.reason, {
      path: path ?? this.path,
      detail: this.detail,
      message,
      cause: this.cause,
    });
  }
}
