// esbuild's binary loader inlines these files as bytes (scripts/build.ts).
/** ONNX Runtime's WebAssembly binary, gzipped (scripts/build.ts makes this module). */
declare module 'impasto:ort-wasm.gz' {
  const bytes: Uint8Array;
  export default bytes;
}
declare module '*.jpg' {
  const bytes: Uint8Array;
  export default bytes;
}
/** The weights folder URL, fixed at build time (IMPASTO_FIGMA_WEIGHTS_URL). */
declare const __IMPASTO_WEIGHTS_URL__: string;
/** The engine worker's bundled code (scripts/build.ts), started from a blob: URL. */
declare const __IMPASTO_ENGINE_WORKER__: string;
/** The origins the manifest's networkAccess allows (build settings). */
declare const __IMPASTO_ALLOWED_DOMAINS__: readonly string[];
