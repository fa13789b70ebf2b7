/** What every browser host needs: decode bytes, encode PNG, an engine client that loads weights and runs stylizations. */

export * from '../index.js';
export { decodeImage, ImageDecodeError, imageDataOf } from './decode.js';
export { encodePng } from './encode.js';
export {
  type EngineClient,
  type EngineClientOptions,
  type EngineStylizeRequest,
  type EngineThread,
  startEngineHere,
} from './engine-client.js';
export { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './session.js';
