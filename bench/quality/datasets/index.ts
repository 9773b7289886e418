// The datasets the quality benchmark trains on, by name: different kinds of images, each openly licensed.
import { emojiDataset } from './emoji';
import { fashionMnistDataset } from './fashion-mnist';
import { photoCropsDataset } from './photo-crops';
import type { QualityDataset } from './prepared-folder';

export const QUALITY_DATASETS: Record<string, QualityDataset> = {
  emoji: emojiDataset,
  'fashion-mnist': fashionMnistDataset,
  'photo-crops': photoCropsDataset,
};

export { preparedFolder, type QualityDataset } from './prepared-folder';
