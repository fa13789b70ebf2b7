// The extension's and the webview's ends of the channel, wired together: the checks each applies to what it gets.
import { createChannel, isChannelError, type Port } from '@impasto/channel';
import { describe, expect, it } from 'vitest';
import {
  HOST_CHECKS,
  type HostToWebview,
  WEBVIEW_CHANNEL,
  WEBVIEW_CHECKS,
  WEBVIEW_PROTOCOL_VERSION,
  type WebviewToHost,
} from './protocol.js';

/** Two ports that deliver to each other through a JSON-like copy, as VS Code does (typed arrays kept). */
function pair(): [Port, Port] {
  const receivers: ((data: unknown) => Promise<void>)[] = [];
  const port = (me: number): Port => ({
    send: (message) => void queueMicrotask(() => receivers[1 - me]?.(structuredClone(message))),
    listen(receive) {
      receivers[me] = receive;
      return () => undefined;
    },
  });
  return [port(0), port(1)];
}

function connect(webviewVersion = WEBVIEW_PROTOCOL_VERSION) {
  const [a, b] = pair();
  const refused: string[] = [];
  const name = WEBVIEW_CHANNEL;
  const host = createChannel<HostToWebview, WebviewToHost>({
    name,
    version: WEBVIEW_PROTOCOL_VERSION,
    port: a,
    checks: HOST_CHECKS,
    onRejected: (e) => refused.push(e.reason),
  });
  const webview = createChannel<WebviewToHost, HostToWebview>({
    name,
    version: webviewVersion,
    port: b,
    checks: WEBVIEW_CHECKS,
  });
  return { host, webview, refused };
}

describe('the extension ↔ webview channel', () => {
  it('answers save with its outcome, matched to the request without ids in the page code', async () => {
    const { host, webview } = connect();
    host.handle('save', ({ width }) => ({ outcome: 'saved', message: `Saved ${width} px` }));
    const [first, second] = await Promise.all([
      webview.request('save', { png: new Uint8Array([1]), width: 2, height: 3 }),
      webview.request('save', { png: new Uint8Array([1]), width: 5, height: 3 }),
    ]);
    expect([first.message, second.message]).toEqual(['Saved 2 px', 'Saved 5 px']);
  });

  it('the extension refuses a malformed save and an unknown message with typed errors', async () => {
    const { host, webview, refused } = connect();
    host.handle('save', () => ({ outcome: 'saved', message: 'Saved' }));
    // @ts-expect-error: bytes as a plain array, as an old page would send them
    const error = await webview.request('save', { png: [137, 80], width: 2, height: 3 }).catch((e: unknown) => e);
    expect(isChannelError(error, 'malformed')).toBe(true);
    // @ts-expect-error: a type the protocol does not have
    webview.emit('runShell', { command: 'rm -rf /' });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(refused).toEqual(['malformed', 'unknown-type']);
  });

  it('a webview of another protocol version is refused', async () => {
    const { host, webview, refused } = connect(WEBVIEW_PROTOCOL_VERSION + 1);
    host.handle('save', () => ({ outcome: 'saved', message: 'Saved' }));
    const error = await webview.request('save', { png: new Uint8Array(), width: 1, height: 1 }).catch((e) => e);
    expect(isChannelError(error, 'wrong-version')).toBe(true);
    expect(refused).toEqual(['wrong-version', 'wrong-version', 'wrong-version']); // its hello and request; its refusal of ours
  });
});
