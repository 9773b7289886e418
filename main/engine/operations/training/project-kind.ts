// Which kind of training a project does, from its settings: the one place that knows every TrainingKind.
import type { ProjectStore } from '../../store';
import { denoiseTraining } from './denoise-kind';
import { generatorTraining } from './generator-kind';
import type { TrainingKind } from './kind';

export function trainingKind(store: ProjectStore): TrainingKind {
  const settings = store.getSettings();
  return settings.kind === 'denoise' ? denoiseTraining(settings) : generatorTraining(settings);
}
