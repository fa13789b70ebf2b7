/**
 * The engine worker's entry: hosts bundle this file on its own (an iife) and start it as a Worker — from a URL,
 * or from a blob: URL of the inlined bundle where a host cannot load a separate file (see `workerFromSource`).
 */
import '../backends/browser.js'; // the tfjs backends the worker may run on (ONNX Runtime's WebAssembly comes with the server)
import type { Port } from '@impasto/channel';
import { serveEngine } from './engine-server.js';
import { watchRuntimeFaults } from './fault-watch.js';

/** The worker's own scope as the channel's port (looked up per message: a test worker may wrap postMessage). */
const workerScope: Port = {
  send: (message, transfer) => self.postMessage(message, { transfer }),
  listen(receive) {
    const listener = (event: MessageEvent) => receive(event.data);
    self.addEventListener('message', listener);
    return () => self.removeEventListener('message', listener);
  },
};

// onnxruntime-web names the workers of its threads "em-pthread…"; were one started from this script, it is not an engine.
if (!(self as { name?: string }).name?.startsWith('em-pthread')) {
  watchRuntimeFaults(); // before any runtime starts: emscripten binds the console when its module is created
  serveEngine(workerScope);
}
