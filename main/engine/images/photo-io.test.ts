import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodePhoto, encodeLike } from './photo-io';

/** A 40×20 JPEG stored sideways (EXIF Orientation 6: shown 20 wide, 40 tall) with camera tags. */
async function cameraJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 200, g: 40, b: 10 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .withExif({ IFD0: { Make: 'TestCam', Model: 'X100', Artist: 'Ann' }, IFD2: { ExposureTime: '1/100' } })
    .toBuffer();
}

describe('photo out', () => {
  it('keeps the EXIF metadata of the original, with orientation applied once', async () => {
    const source = await cameraJpeg();
    const photo = await decodePhoto(source);
    expect([photo.width, photo.height], 'decoded upright').toEqual([20, 40]);
    const out = await encodeLike(photo, photo.rgb);
    const meta = await sharp(out).metadata();
    expect(meta.exif, 'EXIF kept').toBeDefined();
    const exif = meta.exif!.toString('latin1');
    for (const tag of ['TestCam', 'X100', 'Ann']) expect(exif).toContain(tag);
    // Upright pixels with an upright tag: a viewer shows it the same way as the original, not turned twice.
    expect([meta.width, meta.height]).toEqual([20, 40]);
    expect(meta.orientation ?? 1).toBe(1);
  });
});
