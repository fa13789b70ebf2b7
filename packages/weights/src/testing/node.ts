/** @impasto/weights/testing/node: the browser-safe test support, a Keras .h5 writer and a local HTTP server (Node). */
export * from './index.js';
export { type KerasFixtureOptions, writeKerasH5 } from './keras-h5-fixture.js';
export { type Route, serveBytes, serveThenCut, startTestServer, type TestServer } from './test-server.js';
