/** Registers tfjs's wasm backend. Import this (or backends/node) from an entry point that may run it. */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { onWasmLocation } from '../wasm-location.js';

onWasmLocation((location) => setWasmPaths(location as Parameters<typeof setWasmPaths>[0]));
