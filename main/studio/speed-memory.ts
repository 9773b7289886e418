// How fast this machine trained, remembered between launches (training-speed.json in the config folder), so the
// Train screen can say before Start how long the chosen epochs will take. Keyed by project kind and image size;
// a damaged or unwritable file only means no estimate.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../engine/images';

const fileSchema = z.object({ version: z.literal(1), speeds: z.record(z.string(), z.number().positive()) });

export class SpeedMemory {
  private readonly file: string;
  private speeds: Record<string, number> | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly configFolder: string) {
    this.file = join(configFolder, 'training-speed.json');
  }

  /** Images per second last measured for this kind and size, or null. */
  get(kind: string, imageSize: number): number | null {
    return this.load()[key(kind, imageSize)] ?? null;
  }

  record(kind: string, imageSize: number, imagesPerSecond: number): Promise<void> {
    if (!(imagesPerSecond > 0) || !Number.isFinite(imagesPerSecond)) return this.writing;
    this.load()[key(kind, imageSize)] = imagesPerSecond;
    const body = JSON.stringify({ version: 1, speeds: this.speeds }, null, 2) + '\n';
    this.writing = this.writing
      .then(async () => {
        await mkdir(this.configFolder, { recursive: true });
        await writeFileAtomic(this.file, body);
      })
      .catch((error: Error) => console.warn(`Could not save the training speed (${this.file}): ${error.message}`));
    return this.writing;
  }

  private load(): Record<string, number> {
    if (this.speeds) return this.speeds;
    try {
      this.speeds = fileSchema.parse(JSON.parse(readFileSync(this.file, 'utf8'))).speeds;
    } catch {
      this.speeds = {};
    }
    return this.speeds;
  }
}

const key = (kind: string, imageSize: number) => `${kind}-${imageSize}`;
