/** What every browser host needs: decode bytes, encode PNG, a session that loads weights and runs stylizations. */

export * from '../index.js';
export { decodeImage, imageDataOf } from './decode.js';
export { encodePng } from './encode.js';
export { type BrowserSession, type BrowserSessionOptions, createBrowserSession } from './session.js';
