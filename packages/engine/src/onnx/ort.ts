/**
 * ONNX Runtime for Node, loaded on demand: `onnxruntime-node` is an optional dependency (native, Node only), so
 * nothing here imports it until asked, and its absence is a clear error rather than a failed module load.
 */
import type { InferenceSession, Tensor } from 'onnxruntime-common';

/** The part of `onnxruntime-node`'s module this engine uses. */
export interface OrtModule {
  readonly InferenceSession: typeof InferenceSession;
  readonly Tensor: typeof Tensor;
}

const PACKAGE = 'onnxruntime-node';
let loading: Promise<OrtModule> | null = null;

/** Imports the runtime from `specifier` (a parameter for tests; a variable also keeps bundlers off the addon). */
export async function importOrt(specifier: string = PACKAGE): Promise<OrtModule> {
  try {
    const name = specifier;
    const ort = (await import(name)) as OrtModule & { default?: OrtModule };
    const api = ort.InferenceSession ? ort : ort.default;
    if (!api?.InferenceSession || !api.Tensor) throw new Error('the module has no InferenceSession or Tensor');
    return api;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      `the ONNX compute path needs the optional package ${specifier}, which could not be loaded (${why}); ` +
        `install it (pnpm add ${specifier}; its CPU library ships inside the package) or use the tfjs path`,
    );
  }
}

/** The runtime, loaded once; rejects with an Error that says what is missing and what to do. */
export function loadOrt(): Promise<OrtModule> {
  if (!loading) {
    loading = importOrt();
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

/** Whether the ONNX path can run here (Node with `onnxruntime-node` installed and loadable). */
export async function onnxAvailable(): Promise<boolean> {
  const isNode = typeof process !== 'undefined' && !!process.versions?.node;
  if (!isNode) return false;
  try {
    await loadOrt();
    return true;
  } catch {
    return false;
  }
}
