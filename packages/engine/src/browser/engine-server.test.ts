// The engine's end of the channel turns away what it cannot trust — a message that is not the protocol's, one
// with a malformed payload, one from another protocol version — with a typed error, and goes on serving.
import { type ChannelError, createChannel, isChannelError, messagePort } from '@impasto/channel';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tfjs/tf.js';
import {
  ENGINE_CHANNEL,
  ENGINE_PROTOCOL_VERSION,
  ENGINE_TO_PAGE_CHECKS,
  type EngineToPage,
  type PageToEngine,
} from './engine-protocol.js';
import { serveEngine, type TfjsEngineState, tfjsGpuBytes } from './engine-server.js';

beforeAll(() => tf.ready()); // `memory` reads tfjs's counters

const opened: (() => void)[] = [];
afterEach(() => {
  for (const close of opened.splice(0)) close();
});

/** A served engine, what it turned away, and a page end of the given protocol version. */
function served(version = ENGINE_PROTOCOL_VERSION) {
  const { port1, port2 } = new MessageChannel();
  const rejected: ChannelError[] = [];
  const server = serveEngine(messagePort(port1), { onRejected: (e) => rejected.push(e) });
  const page = createChannel<PageToEngine, EngineToPage>({
    name: ENGINE_CHANNEL,
    version,
    port: messagePort(port2),
    checks: ENGINE_TO_PAGE_CHECKS,
  });
  opened.push(() => {
    page.close();
    server.dispose();
    port1.close();
    port2.close();
  });
  return { page, rejected, raw: port2 };
}

describe('the engine server', () => {
  it('rejects a malformed request with a typed error, and answers the next one', async () => {
    const { page, rejected } = served();
    // @ts-expect-error: a stylize request without its image, as a page of a drifted build might send
    const error = await page.request('stylize', { run: 1, request: { styles: [] } }).catch((e: unknown) => e);
    expect(isChannelError(error, 'malformed')).toBe(true);
    expect(rejected.map((e) => [e.name, e.reason])).toEqual([['ChannelError', 'malformed']]);
    expect(await page.request('memory')).toEqual({ wasmHeapBytes: 0, gpuBytes: 0 });
  });

  it('rejects a message of another protocol version with a typed error, and serves its own version', async () => {
    const stale = served(ENGINE_PROTOCOL_VERSION + 1);
    const error = await stale.page.request('memory').catch((e: unknown) => e);
    expect(isChannelError(error, 'wrong-version')).toBe(true);
    expect((error as Error).message).toMatch(`version ${ENGINE_PROTOCOL_VERSION + 1}`);
    // Its hello and its request were both turned away, each with the same typed error.
    expect(stale.rejected.map((e) => e.reason)).toEqual(['wrong-version', 'wrong-version']);
    const current = served();
    expect(await current.page.request('memory')).toEqual({ wasmHeapBytes: 0, gpuBytes: 0 });
  });

  it('turns away data that is no engine message and a request type it does not know', async () => {
    const { page, rejected, raw } = served();
    raw.postMessage({ type: 'stylize', id: 1 }); // the protocol before the channel: no envelope
    raw.postMessage({
      channel: ENGINE_CHANNEL,
      version: ENGINE_PROTOCOL_VERSION,
      kind: 'request',
      id: 9,
      type: 'reboot',
    });
    expect(await page.request('memory')).toEqual({ wasmHeapBytes: 0, gpuBytes: 0 });
    expect(rejected.map((e) => e.reason)).toEqual(['malformed', 'unknown-type']);
  });
});

describe('tfjsGpuBytes', () => {
  const untouchable = () => {
    throw new Error('asked tfjs for its memory: that starts a backend');
  };
  it('is 0 without asking tfjs where no tfjs backend runs (the ort-wasm path) or one is still starting', () => {
    expect(tfjsGpuBytes({ backendName: null, memory: untouchable })).toBe(0);
    expect(tfjsGpuBytes({ backendName: 'webgpu', pendingBackendInit: Promise.resolve(), memory: untouchable })).toBe(0);
  });
  it("reads a running backend's GPU bytes under either of tfjs's names for them", () => {
    expect(tfjsGpuBytes({ backendName: 'webgl', memory: () => ({ numBytesInGPUAllocated: 7 }) })).toBe(7);
    expect(tfjsGpuBytes({ backendName: 'webgpu', memory: () => ({ numBytesAllocatedInGPU: 9 }) })).toBe(9);
    expect(tfjsGpuBytes({ backendName: 'cpu', memory: () => ({}) })).toBe(0);
  });
  it('matches the tfjs engine this package runs on', () => {
    const engine = tf.engine() as unknown as TfjsEngineState;
    expect(engine.backendName).toBe(tf.getBackend());
    expect(tfjsGpuBytes(engine)).toBe(0); // Node's cpu backend holds no GPU bytes
  });
});
