/** Registers tfjs's webgpu backend. Import this (or backends/browser, backends/node) from a host's entry point. */
import '@tensorflow/tfjs-backend-webgpu';
