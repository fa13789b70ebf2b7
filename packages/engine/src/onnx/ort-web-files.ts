/** The files onnxruntime-web's WebAssembly build loads (no import of the runtime, so build scripts can name them). */
export const ORT_WASM_FILES = { wasm: 'ort-wasm-simd-threaded.wasm', glue: 'ort-wasm-simd-threaded.mjs' } as const;
