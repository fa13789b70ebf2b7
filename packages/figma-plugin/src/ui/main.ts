/** The plugin UI's entry, bundled into ui.html (scripts/build.ts). */
import '@impasto/engine/backends/browser'; // registers the tfjs backends this entry point may run on
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createBridge } from './bridge.js';
import './figma-theme.css';
import { inlineExamples, inlineWasmFiles } from './inline-assets.js';
import { startPluginUi } from './plugin-ui.js';

// Before any backend starts; the panel is given no wasmPaths, so this map stays in force.
setWasmPaths(inlineWasmFiles());

startPluginUi({
  root: document.body,
  bridge: createBridge(parent, window),
  weightsUrl: __IMPASTO_WEIGHTS_URL__,
  examples: inlineExamples(),
});
