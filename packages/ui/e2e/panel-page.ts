// Test page: the panel in upload mode, as the web demo mounts it; query parameters configure the run.
// ?worker=URL starts the engine worker from another script (a missing one tests the main-thread fallback).
import '@impasto/engine/backends/browser'; // registers the tfjs backends this entry point may run on
import { loadWeightsFromUrl } from '@impasto/engine/browser';
import { DEFAULT_EXAMPLE_STYLE } from '@impasto/examples';
import { mountStylizePanel, type PanelResult } from '../src/index.js';

declare global {
  interface Window {
    results: PanelResult[];
  }
}

const params = new URLSearchParams(location.search);
window.results = [];
mountStylizePanel(document.body, {
  // ?loader: the host loads the weights itself (as the web demo does, through its cache) and reports progress.
  weights: params.has('loader')
    ? (onProgress) => loadWeightsFromUrl('/weights/', { onProgress })
    : (params.get('weights') ?? '/weights/'),
  wasmPaths: '/wasm/',
  engineWorker: () => new Worker(params.get('worker') ?? '/engine-worker.js'),
  examples: [{ name: DEFAULT_EXAMPLE_STYLE.id, url: `/examples/${DEFAULT_EXAMPLE_STYLE.file}` }],
  contentSource: 'upload',
  settings: {
    size: Number(params.get('size') ?? 32),
    iterations: Number(params.get('iterations') ?? 3),
    backend: (params.get('backend') ?? 'webgl') as 'webgl',
  },
  resultActions: [{ label: 'Keep', run: (r) => void window.results.push(r) }],
});
