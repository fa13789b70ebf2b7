/**
 * Every WebAssembly.Memory the runtimes of this thread create (tfjs-wasm, onnxruntime-web, any emscripten build:
 * made in JavaScript, or exported by the module), and failures to grow them. Installed once by the engine worker
 * before any runtime starts. A wasm heap never shrinks, so the sum of their sizes is the peak so far.
 *
 * Emscripten's allocator asks a heap to grow by a fifth more than it needs, then a tenth, then a twentieth, and
 * gives up after the third refusal: its malloc then returns 0, and an unchecked 0 inside the runtime corrupts it
 * (a run of tfjs-wasm whose heap may not grow past a limit went silent for good). A single refusal is not a failure
 * (a smaller step may pass); GROW_ATTEMPTS refusals in a row without a success between are.
 */
import { messageOf } from '@impasto/errors';

type GrowFailure = (message: string) => void;

/** The times emscripten's heap resize asks a memory to grow before its malloc gives up. */
const GROW_ATTEMPTS = 3;

const memories = new Set<WeakRef<WebAssembly.Memory>>();
let installed = false;

function remember(memory: unknown): void {
  if (memory instanceof WebAssembly.Memory) memories.add(new WeakRef(memory));
}

function rememberExports(instance: unknown): void {
  const exports = (instance as { exports?: Record<string, unknown> } | undefined)?.exports;
  for (const value of Object.values(exports ?? {})) remember(value);
}

/** Bytes of every live wasm memory this thread created since `trackWasmMemories`. */
export function wasmHeapBytes(): number {
  let bytes = 0;
  for (const ref of memories) {
    const memory = ref.deref();
    if (memory) bytes += memory.buffer.byteLength;
    else memories.delete(ref);
  }
  return bytes;
}

/** Starts tracking (idempotent); `onGrowFailure` hears of every Memory.grow that throws (the heap could not grow). */
export function trackWasmMemories(onGrowFailure: GrowFailure): void {
  if (installed || typeof WebAssembly === 'undefined') return;
  installed = true;
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  wasm.Memory = new Proxy(WebAssembly.Memory, {
    construct(target, args, newTarget) {
      const memory = Reflect.construct(target, args, newTarget);
      remember(memory);
      return memory;
    },
  });
  wasm.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      rememberExports(instance);
      return instance;
    },
  });
  for (const name of ['instantiate', 'instantiateStreaming'] as const) {
    const original = WebAssembly[name] as (...args: unknown[]) => Promise<unknown>;
    if (typeof original !== 'function') continue;
    wasm[name] = async (...args: unknown[]) => {
      const result = await original.apply(WebAssembly, args);
      // instantiate(module) resolves to an Instance; instantiate(bytes) and instantiateStreaming to { instance }.
      rememberExports((result as { instance?: unknown }).instance ?? result);
      return result;
    };
  }
  const grow = WebAssembly.Memory.prototype.grow;
  let refusals = 0;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number) {
    try {
      const pages = grow.call(this, delta);
      refusals = 0;
      return pages;
    } catch (e) {
      if (++refusals === GROW_ATTEMPTS) {
        const mib = (bytes: number) => `${Math.round(bytes / 1024 ** 2)} MiB`;
        onGrowFailure(
          `the wasm heap could not grow from ${mib(this.buffer.byteLength)} (the last of ${GROW_ATTEMPTS} tries asked ${mib(delta * 65536)} more: ${messageOf(e)})`,
        );
      }
      throw e;
    }
  };
}
