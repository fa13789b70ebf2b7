/** The style fieldset: examples, uploads, and one row per chosen style (blend weight, mask, remove). A view only. */
import type { ExampleStyle, PanelController, PanelStyle } from './controller.js';
import { bytesOf, h } from './dom.js';

export function createStylePicker(controller: PanelController, examples: readonly ExampleStyle[]) {
  const list = h('div', { class: 'ip-styles', 'data-testid': 'chosen-styles' });
  const thumbnails = createThumbnails();
  let shown: readonly PanelStyle[] | null = null;
  /** Re-renders the rows when the list or a mask changed (a weight change keeps the slider being dragged). */
  const render = (styles: readonly PanelStyle[]) => {
    if (styles === shown) return;
    const sameRows =
      shown?.length === styles.length && styles.every((s, i) => s.id === shown?.[i]?.id && s.mask === shown[i]?.mask);
    shown = styles;
    if (sameRows) return;
    thumbnails.keepOnly(styles);
    list.replaceChildren(...styles.map((style, i) => styleRow(controller, style, i, thumbnails.of(style))));
  };
  const element = h(
    'fieldset',
    {},
    h('legend', {}, 'Style'),
    h('div', { class: 'ip-examples' }, ...examples.map((example) => exampleButton(controller, example))),
    h('label', {}, 'Add your own', uploadInput(controller)),
    list,
  );
  return { element, render, dispose: () => render([]) };
}

/** Thumbnails by style id, made once per style and revoked when it goes. */
function createThumbnails() {
  const urls = new Map<number, string>();
  return {
    of(style: PanelStyle) {
      const known = urls.get(style.id);
      if (known) return known;
      const url = URL.createObjectURL(new Blob([style.bytes as BlobPart]));
      urls.set(style.id, url);
      return url;
    },
    keepOnly(styles: readonly PanelStyle[]) {
      for (const [id, url] of urls) {
        if (styles.some((s) => s.id === id)) continue;
        URL.revokeObjectURL(url);
        urls.delete(id);
      }
    },
  };
}

function exampleButton(controller: PanelController, example: ExampleStyle) {
  const onClick = () => void controller.addExample(example);
  const attrs = { type: 'button', title: example.name, 'data-testid': `example-${example.name}`, onClick };
  return h('button', attrs, h('img', { src: example.url, alt: example.name }));
}

function uploadInput(controller: PanelController) {
  const onChange = async (e: Event) => {
    const input = e.target as HTMLInputElement;
    for (const file of Array.from(input.files ?? [])) await controller.addStyle(await bytesOf(file), file.name);
    input.value = '';
  };
  const attrs = { type: 'file', accept: 'image/*', multiple: true, 'data-testid': 'style-upload', onChange };
  return h('input', { ...attrs, 'aria-label': 'upload style images' });
}

function styleRow(controller: PanelController, style: PanelStyle, i: number, thumbnail: string) {
  const onInput = (e: Event) => controller.setStyleWeight(style.id, Number((e.target as HTMLInputElement).value));
  const weight = h('input', {
    type: 'range',
    min: 0,
    max: 100,
    value: style.weight,
    title: 'blend weight',
    'aria-label': `blend weight of ${style.name}`,
    onInput,
  });
  const remove = h('button', { type: 'button', title: 'remove', onClick: () => controller.removeStyle(style.id) }, '✕');
  const image = h('img', { src: thumbnail, alt: '' });
  return h(
    'div',
    { class: 'ip-style-row' },
    image,
    h('span', {}, style.name),
    weight,
    maskControl(controller, style, i),
    remove,
  );
}

/** "Mask…" to pick a mask image for one style, or the chosen mask's name to drop it. */
function maskControl(controller: PanelController, style: PanelStyle, i: number) {
  if (style.mask) {
    const onClick = () => controller.setStyleMask(style.id, undefined);
    const attrs = { type: 'button', class: 'ip-mask', title: 'apply this style everywhere again', onClick };
    return h('button', attrs, `mask: ${style.mask.name} ✕`);
  }
  const onChange = async (e: Event) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) controller.setStyleMask(style.id, { name: file.name, bytes: await bytesOf(file) });
  };
  const input = h('input', {
    type: 'file',
    accept: 'image/*',
    hidden: true,
    'data-testid': `mask-upload-${i}`,
    'aria-label': `mask for ${style.name}`,
    onChange,
  });
  const hint = 'limit this style to the white part of a mask image drawn over the photo (black: no style)';
  return h('label', { class: 'ip-mask', title: hint }, 'Mask…', input);
}
