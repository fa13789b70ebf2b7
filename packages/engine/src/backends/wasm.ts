/** Registers tfjs's wasm backend. Import this (or backends/browser, backends/node) from a host's entry point. */
import '@tensorflow/tfjs-backend-wasm';
