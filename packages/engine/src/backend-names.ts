/**
 * The one table of compute backends: every name a run may report (tfjs's backends and ONNX Runtime's, in Node and
 * browsers), with its name as people know it. Hosts import it from here (labels, choices), never list them again.
 */

/** The tfjs backends Impasto runs on, best first. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = BackendName | 'auto';

/** Every compute backend, by name: its label and the compute path it runs on (`tfjs/` or `onnx/`). */
export const COMPUTE_BACKENDS = {
  webgpu: { label: 'WebGPU', path: 'tfjs' },
  webgl: { label: 'WebGL', path: 'tfjs' },
  wasm: { label: 'WebAssembly (TensorFlow.js)', path: 'tfjs' },
  cpu: { label: 'plain JavaScript', path: 'tfjs' },
  'ort-wasm': { label: 'WebAssembly (ONNX Runtime)', path: 'onnx' },
  onnx: { label: 'ONNX Runtime', path: 'onnx' },
} as const satisfies Record<string, { readonly label: string; readonly path: 'tfjs' | 'onnx' }>;

/**
 * What computes the loss and its gradient: a tfjs backend, or ONNX Runtime (Node's 'onnx', node/engine-node.ts;
 * browsers' WebAssembly 'ort-wasm', browser/browser-engine.ts).
 */
export type ComputeBackend = keyof typeof COMPUTE_BACKENDS;

/** The backends a browser host lets a person choose (its Advanced settings), after 'auto'. */
export const BROWSER_BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'ort-wasm', 'cpu'] as const;

/** A compute backend's name as people know it (an unknown name as given). */
export function backendLabel(name: string): string {
  return (COMPUTE_BACKENDS as Record<string, { label: string }>)[name]?.label ?? name;
}
