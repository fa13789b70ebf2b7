/**
 * Where the engine's WebAssembly files are, as a host gives it: a folder URL ending in /, or a URL per file name
 * (e.g. blob: URLs of inlined binaries). ONNX Runtime's path reads it when it starts; tfjs's wasm backend, where an
 * entry point registers it (backends/wasm.ts), hears of it here, so code that does not register it never loads it.
 */
export type WasmLocation = string | Readonly<Record<string, string>>;

const listeners: ((location: WasmLocation) => void)[] = [];

/** Called with each location a host gives (backends/wasm.ts: tfjs's setWasmPaths). */
export function onWasmLocation(listener: (location: WasmLocation) => void): void {
  listeners.push(listener);
}

export function announceWasmLocation(location: WasmLocation): void {
  for (const listener of listeners) listener(location);
}
