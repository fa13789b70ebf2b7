/**
 * What graphics adapter a browser would give WebGPU and WebGL, so 'auto' can tell a real GPU from a software one
 * (SwiftShader, llvmpipe, …): there WebAssembly is many times faster (measured in a page on a 2-core machine at
 * 256 px: WebGL on SwiftShader 18 s per iteration, wasm 1.3 s).
 */
export interface AdapterInfo {
  /** Words that name the adapter (renderer string, or WebGPU vendor/architecture/description). */
  readonly description: string;
  /** True for a CPU implementation of the graphics API. */
  readonly software: boolean;
}

export type AdapterProbe = (backend: 'webgpu' | 'webgl') => Promise<AdapterInfo | undefined>;

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|lavapipe|softpipe|software|basic render driver/i;

/** True when an adapter description names a software implementation. */
export function isSoftwareAdapter(description: string): boolean {
  return SOFTWARE_RENDERERS.test(description);
}

function webglRenderer(): string | undefined {
  const canvas =
    typeof OffscreenCanvas !== 'undefined'
      ? new OffscreenCanvas(1, 1)
      : typeof document !== 'undefined'
        ? document.createElement('canvas')
        : undefined;
  const gl = (canvas?.getContext('webgl2') ?? canvas?.getContext('webgl')) as WebGLRenderingContext | null | undefined;
  if (!gl) return undefined;
  try {
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } finally {
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

interface GpuAdapterLike {
  readonly isFallbackAdapter?: boolean;
  readonly info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
}

async function webgpuAdapter(): Promise<AdapterInfo | undefined> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<GpuAdapterLike | null> } } | undefined)?.gpu;
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return undefined;
  const { vendor = '', architecture = '', description = '' } = adapter.info ?? {};
  const words = [vendor, architecture, description].filter(Boolean).join(' ') || 'unnamed adapter';
  const fallback = adapter.info?.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
  return { description: words, software: fallback || isSoftwareAdapter(words) };
}

/** The browser's own adapters; undefined where the API is missing (then tfjs decides whether it starts). */
export const browserAdapterProbe: AdapterProbe = async (backend) => {
  try {
    if (backend === 'webgpu') return await webgpuAdapter();
    const renderer = webglRenderer();
    return renderer === undefined ? undefined : { description: renderer, software: isSoftwareAdapter(renderer) };
  } catch {
    return undefined;
  }
};
