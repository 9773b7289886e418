// 64×64 Twemoji from npm `emoji-datasource-twitter` (graphics CC-BY 4.0, Twitter, Inc. and contributors):
// cartoon shapes with transparency, flattened on white as the product's importer does.
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { forEachLimited, type QualityDataset } from './prepared-folder';

function emojiFolder(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('emoji-datasource-twitter/package.json')), 'img', 'twitter', '64');
}

export const emojiDataset: QualityDataset = {
  name: 'emoji',
  imageSize: 64,
  describe: '64×64 Twemoji PNGs (emoji-datasource-twitter, CC-BY 4.0), alpha flattened on white',
  recipe: 'emoji-v1',
  async prepare(folder) {
    const source = emojiFolder();
    const files = readdirSync(source).filter((f) => f.endsWith('.png')).sort();
    await forEachLimited(files, 4, async (file) => {
      await sharp(join(source, file)).flatten({ background: '#ffffff' }).resize(64, 64, { fit: 'fill' }).png().toFile(join(folder, file));
    });
    return files.length;
  },
};
