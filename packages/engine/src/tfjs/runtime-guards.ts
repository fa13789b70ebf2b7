/**
 * What tfjs's backends do not check, made into errors and faults (runtime-faults.ts):
 * - tfjs-wasm writes every tensor at whatever `_malloc` returns: when the heap cannot grow (it stops at 4 GiB, or the
 *   browser refuses), that is 0, and the kernel's output overwrites the runtime's own memory, after which XNNPACK
 *   reports failures and the worker hangs. The guard throws the engine's 'out-of-memory' error instead (fatal: the
 *   engine restarts the runtime, which returns its heap).
 * - WebGPU: a lost device and uncaptured out-of-memory errors; WebGL: a lost context. Both become faults.
 */
import { ImpastoError } from '@impasto/errors';
import type { BackendName } from '../backend-names.js';
import { reportRuntimeFault } from '../runtime-faults.js';
import { tf } from './tf.js';

const guarded = new WeakSet<object>();

interface WasmModule {
  _malloc(bytes: number): number;
  HEAPU8: Uint8Array;
}

/** Makes the module's `_malloc` throw where it would return 0 for a non-empty request. */
export function guardWasmMalloc(module: WasmModule, backend = 'wasm'): void {
  if (guarded.has(module)) return;
  guarded.add(module);
  const malloc = module._malloc.bind(module);
  module._malloc = (bytes: number) => {
    const at = malloc(bytes);
    if (at === 0 && bytes > 0) {
      const mib = (n: number) => `${Math.round(n / 1024 ** 2)} MiB`;
      throw new ImpastoError(
        'out-of-memory',
        `the ${backend} heap could not hold ${mib(bytes)} more (it has ${mib(module.HEAPU8.buffer.byteLength)})`,
        { backend, fatal: true, heapBytes: module.HEAPU8.buffer.byteLength },
      );
    }
    return at;
  };
}

interface GpuDeviceLike extends EventTarget {
  readonly lost: Promise<{ readonly message: string; readonly reason?: string }>;
}

function guardGpuDevice(device: GpuDeviceLike): void {
  if (guarded.has(device)) return;
  guarded.add(device);
  void device.lost.then((info) => {
    if (info.reason !== 'destroyed')
      reportRuntimeFault({ kind: 'device-lost', message: `the WebGPU device was lost: ${info.message}` });
  });
  // tfjs opens no error scopes: every WebGPU error arrives here, and the work it spoiled carries on with garbage.
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as Event & { error?: { message?: string; constructor?: { name?: string } } }).error;
    const message = error?.message ?? '';
    const memory =
      error?.constructor?.name === 'GPUOutOfMemoryError' || /exceeds|too large|out of memory/i.test(message);
    reportRuntimeFault({ kind: memory ? 'memory' : 'kernel', message: `WebGPU: ${message}` });
  });
}

function guardGlCanvas(canvas: EventTarget): void {
  if (guarded.has(canvas)) return;
  guarded.add(canvas);
  canvas.addEventListener('webglcontextlost', () =>
    reportRuntimeFault({ kind: 'device-lost', message: 'the WebGL context was lost' }),
  );
}

/** Installs the guards on the active tfjs backend `name` (idempotent per runtime instance). */
export function guardTfBackend(name: BackendName): void {
  const backend = tf.backend() as unknown as {
    wasm?: WasmModule;
    device?: GpuDeviceLike;
    gpgpu?: { gl?: { canvas?: EventTarget } };
  };
  if (name === 'wasm' && backend.wasm) guardWasmMalloc(backend.wasm);
  if (name === 'webgpu' && backend.device) guardGpuDevice(backend.device);
  const canvas = backend.gpgpu?.gl?.canvas;
  if (name === 'webgl' && canvas && typeof canvas.addEventListener === 'function') guardGlCanvas(canvas);
}
