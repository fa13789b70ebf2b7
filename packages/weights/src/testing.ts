/** Test helpers for packages that test against weights (Node): synthetic weights, a Keras .h5 writer, an HTTP server. */
export { seededRandom, syntheticWeights } from './fixtures.js';
export { type KerasFixtureOptions, writeKerasH5 } from './node/keras-h5-fixture.js';
export { type Route, serveBytes, serveThenCut, startTestServer, type TestServer } from './node/test-server.js';
