// Entry point: global styles, the one connection to the host and the state made from it, then the Svelte app.
import { mount } from 'svelte';
import 'uplot/dist/uPlot.min.css';
import './styles.css';
import App from './App.svelte';
import { connect } from '../api/client';
import { createStudio, startStudio, studioContext } from '../lib/studio';

const studio = createStudio(connect(window));
startStudio(studio);

mount(App, { target: document.getElementById('app')!, context: studioContext(studio) });
