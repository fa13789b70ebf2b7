import { ImpastoError } from '@impasto/errors';
import type { ConvGradient } from './network/conv.js';
import { tf } from './tf.js';

/** The tfjs backends Impasto runs on, best first. */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendPreference = BackendName | 'auto';

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

export interface BackendChoice {
  readonly name: BackendName;
  readonly convGradient: ConvGradient;
  /** Better backends that were tried and failed, with why (for a "fell back to …" message). */
  readonly unavailable: readonly { readonly name: BackendName; readonly reason: string }[];
}

const isNode =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

/** Backends worth trying by default: in Node, WebGPU/WebGL need extra setup, so only wasm then cpu. */
export function defaultCandidates(): BackendName[] {
  return isNode ? ['wasm', 'cpu'] : [...BACKENDS];
}

async function trySet(name: BackendName): Promise<string | null> {
  if (!tf.findBackendFactory(name)) return 'not registered by this entry point (import @impasto/engine/backends/…)';
  try {
    const ok = await tf.setBackend(name);
    if (!ok) return 'failed to initialise';
    await tf.ready();
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

/**
 * Makes `preference` (or the best available, for 'auto') the active tfjs backend. A forced backend that cannot start
 * is an error naming why; 'auto' falls back down the list and reports what it skipped.
 */
export async function selectBackend(preference: BackendPreference = 'auto'): Promise<BackendChoice> {
  const candidates = preference === 'auto' ? defaultCandidates() : [preference];
  const unavailable: { name: BackendName; reason: string }[] = [];
  for (const name of candidates) {
    const reason = await trySet(name);
    if (reason === null) return { name, convGradient: CONV_GRADIENT_BY_BACKEND[name], unavailable };
    unavailable.push({ name, reason });
  }
  const detail = unavailable.map((u) => `${u.name}: ${u.reason}`).join('; ');
  throw new ImpastoError('backend-failed', `no TensorFlow.js backend could start (${detail})`, { unavailable });
}
