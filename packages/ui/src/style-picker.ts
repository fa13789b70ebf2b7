/** The style fieldset: examples, uploads, and one row per chosen style (blend weight, mask, remove). A view only. */
import type { ExampleStyle, PanelController, PanelStyle } from './controller.js';
import { bytesOf, h } from './dom.js';

export function createStylePicker(controller: PanelController, examples: readonly ExampleStyle[]) {
  const list = h('div', { class: 'ip-styles', 'data-testid': 'chosen-styles' });
  /** Thumbnails by style id, made once per style and revoked when it goes. */
  const thumbnails = new Map<number, string>();
  let shown: readonly PanelStyle[] | null = null;

  const thumbnail = (style: PanelStyle) => {
    const known = thumbnails.get(style.id);
    if (known) return known;
    const url = URL.createObjectURL(new Blob([style.bytes as BlobPart]));
    thumbnails.set(style.id, url);
    return url;
  };

  /** "Mask…" to pick a mask image for one style, or the chosen mask's name to drop it. */
  const maskControl = (style: PanelStyle, i: number) => {
    if (style.mask) {
      return h(
        'button',
        {
          type: 'button',
          class: 'ip-mask',
          title: 'apply this style everywhere again',
          onClick: () => controller.setStyleMask(style.id, undefined),
        },
        `mask: ${style.mask.name} ✕`,
      );
    }
    const input = h('input', {
      type: 'file',
      accept: 'image/*',
      hidden: true,
      'data-testid': `mask-upload-${i}`,
      'aria-label': `mask for ${style.name}`,
      onChange: async (e: Event) => {
        const file = (e.target as HTMLInputElement).files?.[0];
        if (file) controller.setStyleMask(style.id, { name: file.name, bytes: await bytesOf(file) });
      },
    });
    const hint = 'limit this style to the white part of a mask image drawn over the photo (black: no style)';
    return h('label', { class: 'ip-mask', title: hint }, 'Mask…', input);
  };

  const row = (style: PanelStyle, i: number) =>
    h(
      'div',
      { class: 'ip-style-row' },
      h('img', { src: thumbnail(style), alt: '' }),
      h('span', {}, style.name),
      h('input', {
        type: 'range',
        min: 0,
        max: 100,
        value: style.weight,
        title: 'blend weight',
        'aria-label': `blend weight of ${style.name}`,
        onInput: (e: Event) => controller.setStyleWeight(style.id, Number((e.target as HTMLInputElement).value)),
      }),
      maskControl(style, i),
      h('button', { type: 'button', title: 'remove', onClick: () => controller.removeStyle(style.id) }, '✕'),
    );

  /** Re-renders the rows when the list or a mask changed (a weight change keeps the slider being dragged). */
  const render = (styles: readonly PanelStyle[]) => {
    if (styles === shown) return;
    const sameRows =
      shown?.length === styles.length && styles.every((s, i) => s.id === shown?.[i]?.id && s.mask === shown[i]?.mask);
    shown = styles;
    if (sameRows) return;
    for (const [id, url] of thumbnails) {
      if (!styles.some((s) => s.id === id)) {
        URL.revokeObjectURL(url);
        thumbnails.delete(id);
      }
    }
    list.replaceChildren(...styles.map(row));
  };

  const upload = h('input', {
    type: 'file',
    accept: 'image/*',
    multiple: true,
    'data-testid': 'style-upload',
    'aria-label': 'upload style images',
    onChange: async (e: Event) => {
      const input = e.target as HTMLInputElement;
      for (const file of Array.from(input.files ?? [])) controller.addStyle(await bytesOf(file), file.name);
      input.value = '';
    },
  });

  const element = h(
    'fieldset',
    {},
    h('legend', {}, 'Style'),
    h(
      'div',
      { class: 'ip-examples' },
      ...examples.map((ex) =>
        h(
          'button',
          {
            type: 'button',
            title: ex.name,
            'data-testid': `example-${ex.name}`,
            onClick: () => void controller.addExample(ex),
          },
          h('img', { src: ex.url, alt: ex.name }),
        ),
      ),
    ),
    h('label', {}, 'Add your own', upload),
    list,
  );

  return { element, render, dispose: () => render([]) };
}
