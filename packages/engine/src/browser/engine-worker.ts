/**
 * The engine worker's entry: hosts bundle this file on its own (an iife) and start it as a Worker — from a URL,
 * or from a blob: URL of the inlined bundle where a host cannot load a separate file (see `workerFromSource`).
 */
import '../backends/browser.js'; // every browser backend: the worker runs whichever the page asks for
import type { EngineEndpoint } from './engine-protocol.js';
import { serveEngine } from './engine-server.js';
import { watchRuntimeFaults } from './fault-watch.js';

watchRuntimeFaults(); // before any runtime starts: emscripten binds the console when its module is created
serveEngine(self as unknown as EngineEndpoint);
