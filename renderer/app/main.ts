// Entry point: global styles, app-wide event subscriptions, then the Svelte app.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import App from './App.svelte';
import { app } from '../lib/app/app.svelte';
import { theme } from '../lib/app/theme.svelte';
import { jobs } from '../lib/jobs/jobs.svelte';
import { training } from '../lib/train/training.svelte';
import { explore } from '../lib/explore/explore.svelte';
import { checkpoints } from '../lib/checkpoints/checkpoints.svelte';
import { onConnectionState } from '../api/client';
import { interpolate } from '../lib/interpolate/interpolate.svelte';
import { denoise } from '../lib/denoise/denoise.svelte';
import { dataset } from '../lib/dataset/dataset.svelte';
import { gallery } from '../lib/gallery/gallery.svelte';

theme.start();
jobs.start();
training.listen();
explore.listen();
checkpoints.listen();
onConnectionState((state) => (app.connection = state));
app.onSwitch(() => {
  training.reset();
  explore.reset();
  interpolate.reset();
  denoise.reset();
  dataset.reset();
  gallery.reset();
  checkpoints.reset();
});
void app.start();

mount(App, { target: document.getElementById('app')! });
