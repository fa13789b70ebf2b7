/** What every browser host needs: decode bytes, encode PNG, an engine client that loads weights and runs stylizations. */

export * from '../index.js';
export { decodeImage, ImageDecodeError, imageDataOf } from './decode.js';
export { encodePng } from './encode.js';
export {
  type EngineClient,
  type EngineClientOptions,
  type EngineStylizeRequest,
  type EngineThread,
  startEngine,
  workerFromSource,
} from './engine-client.js';
export type { EngineEndpoint, FromEngine, ToEngine } from './engine-protocol.js';
export { serveEngine } from './engine-server.js';
export { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './session.js';
