import { EXAMPLE_STYLES as EXAMPLES } from '@impasto/examples';

/**
 * Where the webview's files live in the built extension: everything the page loads is under dist/webview/, the
 * one extension folder the webview may read (besides the weights folder).
 */
export const WEBVIEW_DIR = ['dist', 'webview'] as const;
export const WEBVIEW_SCRIPT = 'webview.js';
export const WEBVIEW_STYLE = 'webview.css';
/** The engine's Web Worker bundle; the page fetches it and starts it from a blob: URL (a webview cannot start a worker from its resource origin). */
export const WEBVIEW_WORKER = 'engine-worker.js';
/** ONNX Runtime's WebAssembly binary (ort-wasm-simd-threaded.wasm; a webview is not cross-origin isolated: one thread). */
export const WASM_DIR = 'wasm';
/** Built-in style images from @impasto/examples (made by the project; never ../shared images). */
export const EXAMPLES_DIR = 'examples';
/** VS Code shows the examples by title. */
export const EXAMPLE_STYLES = EXAMPLES.map((e) => ({ name: e.title, file: e.file }));
