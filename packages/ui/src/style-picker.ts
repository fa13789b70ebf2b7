import { bytesOf, h } from './dom.js';

export interface ChosenStyle {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Relative blend weight, 0–100. */
  weight: number;
  readonly thumbnailUrl: string;
  /** Where on the result this style applies (white: here; drawn over the content); none: everywhere. */
  mask?: { readonly name: string; readonly bytes: Uint8Array };
}

export interface ExampleStyle {
  readonly name: string;
  readonly url: string;
}

/** Built-in examples, uploads and host-supplied styles; several may be chosen, each with a blend weight. */
export function createStylePicker(examples: readonly ExampleStyle[], onError: (message: string) => void) {
  const chosen: ChosenStyle[] = [];
  const list = h('div', { class: 'ip-styles', 'data-testid': 'chosen-styles' });

  const render = () => {
    list.replaceChildren(
      ...chosen.map((style, i) =>
        h(
          'div',
          { class: 'ip-style-row' },
          h('img', { src: style.thumbnailUrl, alt: '' }),
          h('span', {}, style.name),
          h('input', {
            type: 'range',
            min: 0,
            max: 100,
            value: style.weight,
            title: 'blend weight',
            'aria-label': `blend weight of ${style.name}`,
            onInput: (e: Event) => {
              style.weight = Number((e.target as HTMLInputElement).value);
            },
          }),
          maskControl(style, i),
          h('button', { type: 'button', title: 'remove', onClick: () => remove(i) }, '✕'),
        ),
      ),
    );
  };

  /** "Mask…" to pick a mask image for one style, or the chosen mask's name to drop it. */
  const maskControl = (style: ChosenStyle, i: number) => {
    if (style.mask) {
      const drop = () => {
        style.mask = undefined;
        render();
      };
      return h(
        'button',
        { type: 'button', class: 'ip-mask', title: 'apply this style everywhere again', onClick: drop },
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
        if (!file) return;
        style.mask = { name: file.name, bytes: await bytesOf(file) };
        render();
      },
    });
    const hint = 'limit this style to the white part of a mask image drawn over the photo (black: no style)';
    return h('label', { class: 'ip-mask', title: hint }, 'Mask…', input);
  };

  const remove = (i: number) => {
    const [gone] = chosen.splice(i, 1);
    if (gone) URL.revokeObjectURL(gone.thumbnailUrl);
    render();
  };

  const add = (bytes: Uint8Array, name: string) => {
    chosen.push({ name, bytes, weight: 50, thumbnailUrl: URL.createObjectURL(new Blob([bytes as BlobPart])) });
    render();
  };

  const addFromUrl = async (example: ExampleStyle) => {
    try {
      const response = await fetch(example.url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      add(new Uint8Array(await response.arrayBuffer()), example.name);
    } catch (e) {
      onError(`could not load the example ${example.name}: ${(e as Error).message}`);
    }
  };

  const upload = h('input', {
    type: 'file',
    accept: 'image/*',
    multiple: true,
    'data-testid': 'style-upload',
    'aria-label': 'upload style images',
    onChange: async (e: Event) => {
      const input = e.target as HTMLInputElement;
      for (const file of Array.from(input.files ?? [])) add(await bytesOf(file), file.name);
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
          { type: 'button', title: ex.name, 'data-testid': `example-${ex.name}`, onClick: () => void addFromUrl(ex) },
          h('img', { src: ex.url, alt: ex.name }),
        ),
      ),
    ),
    h('label', {}, 'Add your own', upload),
    list,
  );

  return {
    element,
    add,
    chosen: () => chosen.filter((s) => s.weight > 0),
    clear: () => {
      while (chosen.length) remove(0);
    },
  };
}
