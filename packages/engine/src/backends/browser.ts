/**
 * The tfjs backends a browser host bundles (webgpu → webgl → cpu); without a hardware GPU the engine runs on ONNX
 * Runtime's WebAssembly (onnx/ort-web.ts), which beats tfjs's wasm backend at every size measured (README), so that
 * one is not bundled (import ./wasm.js to add it).
 */
import './webgpu.js';
import './webgl.js';
import './cpu.js';
