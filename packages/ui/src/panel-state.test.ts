import { ImpastoError } from '@impasto/errors';
import { describe, expect, it } from 'vitest';
import { initialPanelState, type PanelState, type PanelStateEvent, reduce } from './panel-state.js';

const image = (fill: number) => ({ width: 2, height: 1, data: new Uint8Array(8).fill(fill) });
const replay = (events: PanelStateEvent[], from: PanelState = initialPanelState({ size: 512 })) =>
  events.reduce(reduce, from);
const progress = (iteration: number, preview?: ReturnType<typeof image>) => ({
  iteration,
  iterations: 3,
  loss: { total: 1, content: 1, style: 0, tv: 0 },
  elapsedMs: iteration,
  evaluations: iteration,
  remainingMs: 0,
  ...(preview ? { preview } : {}),
});

describe('reduce', () => {
  it('leaves the state it is given alone and brings settings into range', () => {
    const before = initialPanelState();
    const after = reduce(before, { type: 'settings', patch: { iterations: 99_999, strength: -5 } });
    expect(after.settings.iterations).toBe(2000);
    expect(after.settings.strength).toBe(0);
    expect(before).toEqual(initialPanelState());
  });

  it('a new photo shows at once; a rejected one brings back the photo still chosen', () => {
    const content = { id: 'layer:1', name: 'a.png', image: image(1) };
    const shown = replay([
      { type: 'content', content },
      { type: 'run-progress', progress: progress(1, image(9)) },
    ]);
    expect(shown.preview?.data[0]).toBe(9);
    expect(reduce(shown, { type: 'content-rejected' }).preview).toBe(content.image);
  });

  it('styles: added, weight clamped and rounded, a mask set and dropped, removed', () => {
    const style = { id: 4, name: 's.jpg', bytes: new Uint8Array([1]), weight: 50 };
    const mask = { name: 'm.png', bytes: new Uint8Array([2]) };
    const masked = replay([
      { type: 'style-added', style },
      { type: 'style-weight', id: 4, weight: 140.2 },
      { type: 'style-mask', id: 4, mask },
    ]);
    expect(masked.styles).toEqual([{ ...style, weight: 100, mask }]);
    const unmasked = reduce(masked, { type: 'style-mask', id: 4, mask: undefined });
    expect(unmasked.styles[0]).not.toHaveProperty('mask');
    expect(reduce(unmasked, { type: 'style-removed', id: 4 }).styles).toEqual([]);
  });

  it('a run: started clears the message, a tile joins the running state, progress replaces it', () => {
    const stage = { index: 1, count: 1, width: 64, height: 48, iterations: 3 };
    const tile = { stage, iteration: 1, iterations: 3, pass: 'gradient' as const, tile: 2, tiles: 4 };
    const running = replay([
      { type: 'message', text: 'old', kind: 'error' },
      { type: 'run-started' },
      { type: 'run-phase', phase: 'stylizing' },
      { type: 'run-tile', tile },
    ]);
    expect(running.message).toEqual({ text: '', kind: 'info' });
    expect(running.run).toMatchObject({ status: 'running', phase: 'stylizing', tile });
    expect(reduce(running, { type: 'run-progress', progress: progress(2) }).run).toEqual({
      status: 'running',
      phase: 'stylizing',
      progress: progress(2),
    });
    expect(reduce(initialPanelState(), { type: 'run-tile', tile }).run).toEqual({ status: 'idle' });
  });

  it('marks the smallest size that ran out of memory, and clears it once a run at that size or more finishes', () => {
    const oom = new ImpastoError('out-of-memory', 'no memory', { backend: 'webgl' });
    const failed = replay([
      { type: 'run-failed', size: 1024, error: oom },
      { type: 'run-failed', size: 768, error: new ImpastoError('stalled', 'hung') },
      { type: 'run-failed', size: 512, error: new Error('other') },
    ]);
    expect(failed.sizes.failed).toBe(768);
    expect(failed.run).toEqual({ status: 'failed' });
    const content = { id: 'photo', name: 'photo.png' };
    const run = { status: 'done', result: { png: new Uint8Array(), width: 2, height: 1, content } } as const;
    const done = { ...run, iterations: 3, elapsedMs: 5, stopReason: 'iterations' } as const;
    expect(reduce(failed, { type: 'run-done', run: done, image: image(3), size: 512 }).sizes.failed).toBe(768);
    const cleared = reduce(failed, { type: 'run-done', run: done, image: image(3), size: 768 });
    expect(cleared.sizes.failed).toBeNull();
    expect(cleared.preview?.data[0]).toBe(3);
  });

  it('a dropped result goes back to idle unless a run is still running; a cancelled run keeps what it reached', () => {
    const partial = { png: new Uint8Array([1]), width: 2, height: 1, content: { id: 'photo', name: 'photo.png' } };
    const cancelled = replay([{ type: 'run-cancelled', reached: { partial, iteration: 7 } }]);
    expect(cancelled.run).toEqual({ status: 'cancelled', partial, iteration: 7 });
    expect(reduce(cancelled, { type: 'result-dropped' }).run).toEqual({ status: 'idle' });
    const running = replay([{ type: 'run-started' }]);
    expect(reduce(running, { type: 'result-dropped' })).toBe(running);
  });
});
