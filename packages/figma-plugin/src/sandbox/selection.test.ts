import { describe, expect, it } from 'vitest';
import { FakeFigma } from '../testing/fake-figma.js';
import { describeSelection, NOTHING_SELECTED } from './selection.js';

const box = { x: 10, y: 20, width: 300, height: 200 };

describe('describeSelection', () => {
  it('asks for a layer when nothing is selected', () => {
    expect(describeSelection([])).toEqual({ kind: 'empty', message: NOTHING_SELECTED });
  });

  it('takes one supported layer as the content', () => {
    const figma = new FakeFigma();
    const frame = figma.add('Hero', 'FRAME', box);
    expect(describeSelection([frame])).toEqual({
      kind: 'ready',
      content: { id: frame.id, name: 'Hero', type: 'FRAME', width: 300, height: 200 },
      style: null,
    });
  });

  it('with two layers, offers the other one as the style', () => {
    const figma = new FakeFigma();
    const photo = figma.add('Photo', 'RECTANGLE', box);
    const painting = figma.add('Painting', 'GROUP', { x: 0, y: 0, width: 64, height: 48 });
    const state = describeSelection([photo, painting]);
    expect(state).toMatchObject({
      kind: 'ready',
      content: { id: photo.id },
      style: { id: painting.id, name: 'Painting' },
    });
  });

  it('refuses more than two layers, saying how many', () => {
    const figma = new FakeFigma();
    const layers = ['A', 'B', 'C'].map((n) => figma.add(n, 'FRAME', box));
    expect(describeSelection(layers)).toEqual({
      kind: 'invalid',
      message: '3 layers are selected. Select one layer, or two: the layer and a style.',
    });
  });

  it.each([
    ['SLICE', 'a slice (an export area; select the layers under it instead)'],
    ['CONNECTOR', 'a connector'],
    ['WIDGET', 'a widget'],
    ['EMBED', 'an embed'],
    ['STICKY', 'a sticky layer'],
  ] as const)('names an unsupported %s layer and what to select instead', (type, words) => {
    const figma = new FakeFigma();
    const node = figma.add('Thing', type, box);
    expect(describeSelection([node])).toEqual({
      kind: 'invalid',
      message: `"Thing" is ${words}, which Impasto cannot stylize. Select a frame, group, shape, text or image.`,
    });
  });

  it('refuses the pair when either layer is unsupported', () => {
    const figma = new FakeFigma();
    const frame = figma.add('Hero', 'FRAME', box);
    const slice = figma.add('Export area', 'SLICE', box);
    expect(describeSelection([frame, slice])).toMatchObject({ kind: 'invalid', message: /"Export area" is a slice/ });
  });

  it('refuses hidden layers and layers without area', () => {
    const figma = new FakeFigma();
    const hidden = figma.add('Ghost', 'FRAME', box);
    hidden.visible = false;
    expect(describeSelection([hidden])).toEqual({
      kind: 'invalid',
      message: '"Ghost" is hidden. Show it first, or select a visible layer.',
    });
    const line = figma.add('Rule', 'LINE', { x: 0, y: 0, width: 120, height: 0 });
    expect(describeSelection([line])).toEqual({ kind: 'invalid', message: '"Rule" has no area to stylize (120 × 0).' });
  });

  it('uses the box on the canvas, so a rotated layer reports what it covers', () => {
    const figma = new FakeFigma();
    const node = figma.add('Tilted', 'FRAME', box);
    Object.defineProperty(node, 'absoluteBoundingBox', { value: { x: 0, y: 0, width: 250, height: 250 } });
    expect(describeSelection([node])).toMatchObject({ content: { width: 250, height: 250 } });
  });
});
