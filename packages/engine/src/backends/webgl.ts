/** Registers tfjs's webgl backend. Import this (or backends/browser, backends/node) from a host's entry point. */
import '@tensorflow/tfjs-backend-webgl';
