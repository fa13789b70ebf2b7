/**
 * Registers tfjs's wasm backend. Import this (or backends/node) from an entry point that may run it; nothing else
 * loads tfjs-wasm. Where its .wasm files are comes from the host's wasm location (wasm-location.ts), or
 * `configureWasm` directly.
 */
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { onWasmLocation, type WasmLocation } from '../wasm-location.js';

/** Tells tfjs-wasm where its .wasm files are: a folder URL ending in /, or a URL per file name. */
export function configureWasm(paths: WasmLocation): void {
  setWasmPaths(paths as Parameters<typeof setWasmPaths>[0]);
}

onWasmLocation(configureWasm);
