// Failures forced in a test engine worker the way real ones happen, chosen by the worker's address:
// ?heapLimit=BYTES — a wasm heap cannot grow past BYTES (the browser refuses, as it does near 4 GiB or when the
//   device is out of memory), so the runtime's allocations fail inside its kernels;
// ?silentAfterTiles=N — after its Nth tile report the worker blocks for good (a kernel that never returns).
const params = new URLSearchParams(self.location.search);

const heapLimit = Number(params.get('heapLimit') ?? 0);
if (heapLimit > 0) {
  const grow = WebAssembly.Memory.prototype.grow;
  WebAssembly.Memory.prototype.grow = function (this: WebAssembly.Memory, delta: number) {
    if (this.buffer.byteLength + delta * 65536 > heapLimit) {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    }
    return grow.call(this, delta);
  };
}

const silentAfter = Number(params.get('silentAfterTiles') ?? 0);
if (silentAfter > 0) {
  const scope = self as unknown as { postMessage(message: unknown, transfer: Transferable[]): void };
  const post = scope.postMessage.bind(scope);
  let tiles = 0;
  scope.postMessage = (message, transfer) => {
    post(message, transfer);
    if ((message as { type?: string }).type === 'tile' && ++tiles >= silentAfter) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // forever
    }
  };
}
