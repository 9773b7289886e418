// The screens that decode (Explore, Interpolate) need a checkpoint and the latent map. The project summary may
// predate the latest training, so it is refreshed before deciding there is no checkpoint. Call during a
// component's initialisation.
import { onMount } from 'svelte';
import { useStudio } from '../studio';

export function mapGate(): { readonly checked: boolean; readonly hasCheckpoint: boolean } {
  const { app, explore } = useStudio();
  let checked = $state(false);
  const hasCheckpoint = $derived((app.project?.checkpoints ?? 0) > 0);
  onMount(async () => {
    await app.refreshProject();
    checked = true;
    if ((app.project?.checkpoints ?? 0) > 0) await explore.loadMap();
  });
  return {
    get checked() {
      return checked;
    },
    get hasCheckpoint() {
      return hasCheckpoint;
    },
  };
}
