// Both ends of the plugin's channel as Figma connects them: the UI posts { pluginMessage } to its parent, the
// sandbox gets it bare in figma.ui.onmessage, and the sandbox's messages reach the iframe's window wrapped again.
import { describe, expect, it } from 'vitest';
import { connectSandbox, connectUi, type FigmaUi, type UiWindows } from './protocol.js';

type Listener = (event: { readonly data: unknown }) => void;

function figmaStandIn() {
  const listeners = new Set<Listener>();
  const deliverToUi = (data: unknown) => {
    for (const listener of listeners) listener({ data: structuredClone(data) });
  };
  const figmaUi: FigmaUi = {
    postMessage: (message) => deliverToUi({ pluginMessage: message, pluginId: '123' }),
    onmessage: undefined,
  };
  const posted: { message: unknown; targetOrigin: string }[] = [];
  const windows: UiWindows = {
    parent: {
      postMessage(message, targetOrigin) {
        posted.push({ message, targetOrigin });
        void figmaUi.onmessage?.(structuredClone((message as { pluginMessage: unknown }).pluginMessage), {
          origin: 'null',
        });
      },
    },
    self: {
      addEventListener: (_, l) => void listeners.add(l),
      removeEventListener: (_, l) => void listeners.delete(l),
    },
  };
  return { figmaUi, windows, posted, deliverToUi };
}

const node = { id: '1:2', name: 'Hero', type: 'FRAME', width: 64, height: 32 };

describe('the plugin’s channel', () => {
  it('wraps the UI’s messages for Figma as { pluginMessage } to any origin (the parent’s is not the iframe’s)', () => {
    const { windows, posted } = figmaStandIn();
    connectSandbox(windows).emit('ready');
    expect(posted.map((p) => p.targetOrigin)).toEqual(['*', '*']);
    expect(posted.map((p) => p.message)).toEqual([
      { pluginMessage: { channel: 'impasto-figma', version: 1, kind: 'hello' } },
      { pluginMessage: { channel: 'impasto-figma', version: 1, kind: 'event', type: 'ready' } },
    ]);
  });

  it('resolves each request with its own reply, in any order, and rejects with the sandbox’s words', async () => {
    const { figmaUi, windows } = figmaStandIn();
    const sandbox = connectUi(figmaUi, () => {});
    let placed = () => {};
    sandbox.handle(
      'place',
      () => new Promise((resolve) => (placed = () => resolve({ nodeId: '9:1', name: 'Hero (Impasto)' }))),
    );
    sandbox.handle('export', ({ nodeId, role }) => {
      if (nodeId !== node.id) throw new Error('The selected layer no longer exists');
      return { role, node, png: new Uint8Array([7]), width: 64, height: 32 };
    });
    const ui = connectSandbox(windows);
    const place = ui.request('place', { originalId: '1:2', png: new Uint8Array([1]) });
    const exported = ui.request('export', { nodeId: '1:2', role: 'content', size: 64 });
    await expect(exported).resolves.toMatchObject({ role: 'content', width: 64, png: new Uint8Array([7]) });
    placed();
    await expect(place).resolves.toEqual({ nodeId: '9:1', name: 'Hero (Impasto)' });
    const gone = ui.request('export', { nodeId: '5:5', role: 'style', size: 64 });
    await expect(gone).rejects.toThrow('The selected layer no longer exists');
  });

  it('passes over window messages that are not Figma’s, and turns away malformed ones inside its wrapping', async () => {
    const { windows, deliverToUi } = figmaStandIn();
    const rejected: string[] = [];
    const ui = connectSandbox(windows, (e) => rejected.push(e.reason));
    const selections: unknown[] = [];
    ui.on('selection', (s) => selections.push(s));
    deliverToUi({ source: 'react-devtools' });
    deliverToUi('text');
    const stamp = { channel: 'impasto-figma', version: 1, kind: 'event' };
    deliverToUi({ pluginMessage: { ...stamp, type: 'launch-missiles' } });
    deliverToUi({ pluginMessage: { ...stamp, type: 'selection', payload: { kind: 'ready' } } });
    deliverToUi({
      pluginMessage: { ...stamp, type: 'selection', payload: { kind: 'empty', message: 'Select a layer' } },
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(rejected).toEqual(['unknown-type', 'malformed']);
    expect(selections).toEqual([{ kind: 'empty', message: 'Select a layer' }]);
  });

  it('a UI of another protocol version is refused by the sandbox with a typed error', async () => {
    const { figmaUi, windows, posted } = figmaStandIn();
    const refused: string[] = [];
    connectUi(figmaUi, (e) => refused.push(e.reason)).handle('place', () => ({ nodeId: '9:1', name: 'x' }));
    const ui = connectSandbox(windows);
    // A message from a UI built for version 2.
    const stale = { channel: 'impasto-figma', version: 2, kind: 'request', id: 1, type: 'place' };
    windows.parent.postMessage(
      { pluginMessage: { ...stale, payload: { originalId: '1:2', png: new Uint8Array() } } },
      '*',
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(refused).toEqual(['wrong-version']);
    expect(posted.length).toBe(2); // the UI's hello, then the stale request
    const error = await ui.request('place', { originalId: 'x', png: new Uint8Array() }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeNull(); // the sandbox still serves its own version
  });
});
