/** What every browser host needs: decode bytes, encode PNG, an engine client that loads weights and runs stylizations. */

export * from '../index.js';
export { ORT_WASM_FILES, ORT_WASM_MEMORY, ORT_WASM_PATH } from '../onnx/ort-web.js';
export type { WasmLocation } from '../wasm-location.js';
export {
  type BrowserBackendPreference,
  type BrowserPlan,
  createBrowserEngine,
  engineFromPlan,
  planBrowserEngine,
} from './browser-engine.js';
export { decodeImage, imageDataOf } from './decode.js';
export { encodePng } from './encode.js';
export type { EngineClient, EngineClientOptions, EngineThread, WeightsLoad } from './engine-api.js';
export { startEngine, workerFromSource } from './engine-client.js';
export type { EngineMemory, EngineStylizeRequest, EngineToPage, PageToEngine } from './engine-protocol.js';
export { serveEngine } from './engine-server.js';
export { WATCHDOG_DEFAULTS } from './engine-supervisor.js';
export { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './session.js';
export type { WatchdogOptions } from './watchdog.js';
