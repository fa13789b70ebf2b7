import { describe, expect, it } from 'vitest';
import { parseWebviewMessage, type WebviewMessage } from './protocol.js';

describe('parseWebviewMessage', () => {
  const valid: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'weightsProgress', loaded: 10, total: 20 },
    { type: 'weightsLoaded' },
    { type: 'pickStyle' },
    { type: 'save', id: 1, png: new Uint8Array([1]), width: 2, height: 3 },
    { type: 'error', message: 'GPU lost' },
  ];

  it.each(valid)('accepts a well-formed $type message', (m) => {
    expect(parseWebviewMessage(m)).toBe(m);
  });

  it.each([
    null,
    'ready',
    {},
    { type: 'unknown' },
    { type: 'toString' },
    { type: 'weightsProgress', loaded: -1, total: 3 },
    { type: 'weightsProgress', loaded: 1, total: '3' },
    { type: 'save', id: 1, png: [137, 80], width: 2, height: 3 },
    { type: 'save', id: 1.5, png: new Uint8Array(), width: 2, height: 3 },
    { type: 'error' },
  ])('rejects %j', (m) => {
    expect(parseWebviewMessage(m)).toBeUndefined();
  });
});
