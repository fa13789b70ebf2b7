import { ImpastoError, messageOf } from '@impasto/errors';
import { BACKENDS, type BackendName, type BackendPreference } from '../backend-names.js';
import type { ConvGradient } from '../network/conv.js';
import { type AdapterProbe, browserAdapterProbe } from './adapter-probe.js';
import { guardTfBackend } from './runtime-guards.js';
import { tf } from './tf.js';

export { BACKENDS, type BackendName, type BackendPreference };

/**
 * The conv input-gradient each backend runs fastest (see network/conv.ts). On wasm the flipped-filter convolution
 * beats tfjs's Conv2DBackpropInput about 3x (`pnpm bench` measures it); on the others the native kernel wins.
 */
export const CONV_GRADIENT_BY_BACKEND: Record<BackendName, ConvGradient> = {
  webgpu: 'native',
  webgl: 'native',
  wasm: 'flipped',
  cpu: 'native',
};

/** A better backend that was not used, and why. */
export interface SkippedBackend {
  /** A tfjs backend, or another compute path (e.g. 'ort-wasm'). */
  readonly name: string;
  readonly reason: string;
  /** Set when it was passed over because its adapter is software (e.g. SwiftShader): the adapter's words. */
  readonly software?: string;
}

export interface BackendChoice {
  readonly name: BackendName;
  readonly convGradient: ConvGradient;
  /** Better backends that failed or were passed over, with why (for a "fell back to …" message). */
  readonly unavailable: readonly SkippedBackend[];
  /** Set when the chosen backend itself runs on a software adapter (forced): the adapter's words. */
  readonly software?: string;
}

const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** Backends worth trying by default: in Node, WebGPU/WebGL need extra setup, so only wasm then cpu. */
export function defaultCandidates(): BackendName[] {
  return isNode ? ['wasm', 'cpu'] : [...BACKENDS];
}

async function trySet(name: BackendName): Promise<string | null> {
  // tfjs registers a backend only where its API exists (no navigator.gpu: no webgpu), and only where imported.
  if (!tf.findBackendFactory(name)) return 'not available in this browser (or not imported by this entry point)';
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'failed to initialise';
    await tf.ready();
    guardTfBackend(name);
    return null;
  } catch (e) {
    return messageOf(e);
  }
}

export interface SelectOptions {
  /** The backends 'auto' tries, best first (default: defaultCandidates()). */
  readonly candidates?: readonly BackendName[];
  /**
   * Whether 'auto' passes over WebGPU and WebGL on a software adapter (default: where tfjs's wasm backend is
   * registered, as WebAssembly is many times faster there).
   */
  readonly passOverSoftware?: boolean;
}

/**
 * Makes `preference` (or the best available, for 'auto') the active tfjs backend. A forced backend that cannot start
 * is an error naming why; 'auto' falls back down the list and reports what it skipped (details.unavailable). 'auto'
 * passes over WebGPU and WebGL on a software adapter (SwiftShader, llvmpipe) where a WebAssembly path is there.
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  probe: AdapterProbe = browserAdapterProbe,
  options: SelectOptions = {},
): Promise<BackendChoice> {
  const candidates = preference === 'auto' ? (options.candidates ?? defaultCandidates()) : [preference];
  const passOverSoftware = preference === 'auto' && (options.passOverSoftware ?? !!tf.findBackendFactory('wasm'));
  const unavailable: SkippedBackend[] = [];
  for (const name of candidates) {
    const adapter = name === 'webgpu' || name === 'webgl' ? await probe(name) : undefined;
    const software = adapter?.software ? adapter.description : undefined;
    if (software && passOverSoftware) {
      unavailable.push({ name, reason: `software rendering (${software}); WebAssembly is faster`, software });
      continue;
    }
    const reason = await trySet(name);
    if (reason === null) {
      const choice = { name, convGradient: CONV_GRADIENT_BY_BACKEND[name], unavailable };
      return software ? { ...choice, software } : choice;
    }
    unavailable.push({ name, reason });
  }
  const detail = unavailable.map((u) => `${u.name}: ${u.reason}`).join('; ');
  throw new ImpastoError('backend-failed', `no TensorFlow.js backend could start (${detail})`, { unavailable });
}

/**
 * Replaces a backend whose runtime died (an emscripten abort leaves tfjs-wasm failing every call) with a fresh
 * instance. Its tensors are gone: callers upload what they need again.
 */
export async function restartBackend(name: BackendName): Promise<void> {
  const factory = tf.findBackendFactory(name);
  if (!factory) throw new ImpastoError('backend-failed', `the ${name} backend is not registered`, { backend: name });
  const engine = tf.engine();
  try {
    tf.removeBackend(name);
  } catch {
    // The dead runtime could not free itself: forget it by hand.
    delete engine.registry[name];
    delete engine.registryFactory[name];
  }
  tf.registerBackend(name, factory);
  const reason = await trySet(name);
  if (reason !== null) {
    throw new ImpastoError('backend-failed', `the ${name} backend could not restart (${reason})`, { backend: name });
  }
}
