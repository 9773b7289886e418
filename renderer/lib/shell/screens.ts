// The app's screens in nav order; the digit shortcuts 1–8 follow this order.
export const SCREENS = [
  { id: 'start', label: 'Start', needsProject: false },
  { id: 'dataset', label: 'Dataset', needsProject: true },
  { id: 'train', label: 'Train', needsProject: true },
  { id: 'explore', label: 'Explore', needsProject: true },
  { id: 'interpolate', label: 'Interpolate', needsProject: true },
  { id: 'gallery', label: 'Gallery', needsProject: true },
  { id: 'checkpoints', label: 'Checkpoints', needsProject: true },
  { id: 'denoise', label: 'Denoise', needsProject: true },
] as const;

export type ScreenId = (typeof SCREENS)[number]['id'];
