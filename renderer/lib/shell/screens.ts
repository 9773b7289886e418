// The app's screens in nav order; the digit shortcuts 1–8 follow this order.
export const SCREENS = [
  { id: 'start', label: 'Start', needsProject: false, generatorOnly: false },
  { id: 'dataset', label: 'Dataset', needsProject: true, generatorOnly: false },
  { id: 'train', label: 'Train', needsProject: true, generatorOnly: false },
  { id: 'explore', label: 'Explore', needsProject: true, generatorOnly: true },
  { id: 'interpolate', label: 'Interpolate', needsProject: true, generatorOnly: true },
  { id: 'gallery', label: 'Gallery', needsProject: true, generatorOnly: true },
  { id: 'checkpoints', label: 'Checkpoints', needsProject: true, generatorOnly: false },
  { id: 'denoise', label: 'Denoise', needsProject: true, generatorOnly: false },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
