import { describe, expect, it } from 'vitest';
import type { ToSandbox, ToUi } from '../protocol.js';
import { createBridge } from './bridge.js';

/** Figma's side: what the UI posts to its parent, and a way to deliver messages to the UI's window. */
function channel() {
  const posted: { message: unknown; targetOrigin: string }[] = [];
  const window = new EventTarget();
  const deliver = (data: unknown) => window.dispatchEvent(new MessageEvent('message', { data }));
  const bridge = createBridge(
    { postMessage: (message: unknown, targetOrigin: string) => void posted.push({ message, targetOrigin }) } as never,
    window as never,
  );
  return { posted, deliver, bridge, sandbox: (m: ToUi) => deliver({ pluginMessage: m, pluginId: '123' }) };
}

describe('the UI’s message bridge', () => {
  it('wraps messages for Figma as { pluginMessage } to any origin (the parent’s is not the iframe’s)', () => {
    const { posted, bridge } = channel();
    bridge.send({ type: 'ready' });
    expect(posted).toEqual([{ message: { pluginMessage: { type: 'ready' } }, targetOrigin: '*' }]);
  });

  it('numbers requests and resolves each with its own reply, in any order', async () => {
    const { posted, bridge, sandbox } = channel();
    const a = bridge.request({ type: 'export', nodeId: '1:2', role: 'content', size: 64 });
    const b = bridge.request({ type: 'place', originalId: '1:2', png: new Uint8Array([1]) });
    const sent = posted.map((p) => (p.message as { pluginMessage: ToSandbox }).pluginMessage);
    expect(sent.map((m) => ('requestId' in m ? m.requestId : null))).toEqual([1, 2]);
    sandbox({ type: 'placed', requestId: 2, nodeId: '9:1', name: 'Hero (Impasto)' });
    const node = { id: '1:2', name: 'Hero', type: 'FRAME', width: 64, height: 32 };
    sandbox({ type: 'exported', requestId: 1, role: 'content', node, png: new Uint8Array([7]), width: 64, height: 32 });
    await expect(b).resolves.toMatchObject({ type: 'placed', name: 'Hero (Impasto)' });
    await expect(a).resolves.toMatchObject({ type: 'exported', width: 64, png: new Uint8Array([7]) });
  });

  it('rejects a request with the sandbox’s failure message', async () => {
    const { bridge, sandbox } = channel();
    const a = bridge.request({ type: 'export', nodeId: '1:2', role: 'style', size: 64 });
    sandbox({ type: 'failed', requestId: 1, message: 'The selected layer no longer exists' });
    await expect(a).rejects.toThrow('The selected layer no longer exists');
  });

  it('passes init and selection to its listeners and ignores other window messages', () => {
    const { bridge, sandbox, deliver } = channel();
    const seen: string[] = [];
    bridge.onMessage((m) => seen.push(m.type));
    deliver({ source: 'react-devtools' });
    deliver({ pluginMessage: { type: 'launch-missiles' } });
    deliver('text');
    sandbox({ type: 'init', settings: null, weightsUrl: null });
    sandbox({ type: 'selection', selection: { kind: 'empty', message: 'Select a layer' } });
    expect(seen).toEqual(['init', 'selection']);
  });
});
