/** The plugin UI's entry, bundled into ui.html (scripts/build.ts). */
import '@impasto/engine/backends/browser'; // registers the tfjs backends the main-thread fallback may run on
import { workerFromSource } from '@impasto/engine/browser';
import { connectSandbox } from '../protocol.js';
import './figma-theme.css';
import { inlineExamples, inlineWasmFiles } from './inline-assets.js';
import { startPluginUi } from './plugin-ui.js';

startPluginUi({
  root: document.body,
  sandbox: connectSandbox({ parent, self: window }),
  weightsUrl: __IMPASTO_WEIGHTS_URL__,
  allowedDomains: __IMPASTO_ALLOWED_DOMAINS__,
  examples: inlineExamples(),
  // The binary inflates while the panel mounts; the engine starts once it is there.
  wasmPaths: inlineWasmFiles(),
  // Figma loads one HTML file into a null-origin iframe: the worker starts from its inlined code.
  engineWorker: () => workerFromSource(__IMPASTO_ENGINE_WORKER__),
});
