/** The settings fieldset: strength, colours, size (marked where this device cannot run it), iterations, Advanced. */
import type { PanelController, PanelState } from './controller.js';
import { h } from './dom.js';
import { SIZE_TOO_LARGE, sizeNote } from './panel-text.js';
import { BACKEND_CHOICES, type PanelSettings, sizeChoicesFor } from './settings.js';

type NumberKey = 'iterations' | 'seed';
type SelectKey = 'size' | 'optimizer' | 'start' | 'backend';

/** Test ids of the settings menus whose ids are not their setting's name (kept for the hosts' end-to-end tests). */
const SELECT_TEST_IDS: Partial<Record<SelectKey, string>> = { backend: 'compute', start: 'start-from' };

const inputValue = (e: Event) => (e.target as HTMLInputElement | HTMLSelectElement).value;

export function createSettingsView(controller: PanelController) {
  const initial = controller.state().settings;
  const update = (patch: Partial<PanelSettings>) => controller.updateSettings(patch);
  const numbers = new Map<NumberKey, HTMLInputElement>();
  const numberField = (label: string, key: NumberKey, min: number, max: number) => {
    const onChange = (e: Event) => update({ [key]: Number(inputValue(e)) });
    const input = h('input', { type: 'number', min, max, value: initial[key], 'data-testid': key, onChange });
    numbers.set(key, input);
    return h('label', {}, label, input);
  };
  let sizeMenu: HTMLSelectElement | undefined;
  const select = (label: string, key: SelectKey, choices: readonly (string | number)[]) => {
    const onChange = (e: Event) => update({ [key]: key === 'size' ? Number(inputValue(e)) : inputValue(e) });
    const options = choices.map((c) => h('option', { value: c, selected: String(initial[key]) === String(c) }, `${c}`));
    const menu = h('select', { 'data-testid': SELECT_TEST_IDS[key] ?? key, onChange }, ...options);
    if (key === 'size') sizeMenu = menu;
    return h('label', {}, label, menu);
  };
  const element = h(
    'fieldset',
    {},
    h('legend', {}, 'Settings'),
    strengthSlider(initial, update),
    keepColorsBox(initial, update),
    select('Size (px)', 'size', sizeChoicesFor(initial.size)),
    numberField('Iterations', 'iterations', 1, 2000),
    h(
      'details',
      {},
      h('summary', {}, 'Advanced'),
      select('Optimizer', 'optimizer', ['lbfgs', 'adam']),
      select('Start from', 'start', ['content', 'noise']),
      numberField('Noise seed', 'seed', 0, 2 ** 31 - 1),
      select('Compute', 'backend', BACKEND_CHOICES),
    ),
  );
  return { element, render: settingsRenderer(numbers, () => sizeMenu) };
}

function strengthSlider(initial: PanelSettings, update: (patch: Partial<PanelSettings>) => void) {
  const onInput = (e: Event) => update({ strength: Number(inputValue(e)) });
  const slider = h('input', {
    type: 'range',
    min: 0,
    max: 100,
    value: initial.strength,
    'data-testid': 'strength',
    onInput,
  });
  return h('label', {}, 'Style strength', slider);
}

function keepColorsBox(initial: PanelSettings, update: (patch: Partial<PanelSettings>) => void) {
  const onChange = (e: Event) => update({ keepColors: (e.target as HTMLInputElement).checked });
  const box = h('input', { type: 'checkbox', checked: initial.keepColors, 'data-testid': 'keep-colors', onChange });
  return h('label', {}, box, 'Keep original colours');
}

/** Number boxes show the value in use; the size menu marks what this device cannot run (or ran out of memory at). */
function settingsRenderer(numbers: Map<NumberKey, HTMLInputElement>, sizeMenu: () => HTMLSelectElement | undefined) {
  let shownSettings: PanelSettings | null = null;
  let shownSizes: PanelState['sizes'] | null = null;
  return (state: PanelState) => {
    // Only when the settings change, so a box being typed in is not reset by other updates.
    if (state.settings !== shownSettings) {
      shownSettings = state.settings;
      for (const [key, input] of numbers) input.value = String(state.settings[key]);
    }
    if (state.sizes === shownSizes) return;
    shownSizes = state.sizes;
    for (const option of Array.from(sizeMenu()?.options ?? [])) {
      const note = sizeNote(Number(option.value), state.sizes);
      option.textContent = note ? `${option.value} — ${note}` : option.value;
      option.disabled = note === SIZE_TOO_LARGE;
    }
  };
}
