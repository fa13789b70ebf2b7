/**
 * The weights URL setting under the panel: where the plugin downloads the VGG19 weights from (default: the build's),
 * checked against the origins this build's manifest allows before it is used and kept.
 */
import { weightsUrlProblem } from '../network-access.js';

export interface WeightsSettingOptions {
  /** The URL set before (null: the build's default). */
  readonly stored: string | null;
  readonly defaultUrl: string;
  readonly allowedDomains: readonly string[];
  /** A valid new URL ('' means back to the default, which is then `url`). */
  readonly onApply: (url: string, stored: string) => void;
}

export function createWeightsSetting(options: WeightsSettingOptions) {
  const element = document.createElement('details');
  element.className = 'fp-weights';
  const summary = document.createElement('summary');
  summary.textContent = 'Weights';
  const input = document.createElement('input');
  input.type = 'url';
  input.dataset.testid = 'weights-url';
  input.placeholder = options.defaultUrl;
  input.value = options.stored ?? '';
  input.setAttribute('aria-label', 'Weights URL (a folder holding weights_manifest.json)');
  const apply = document.createElement('button');
  apply.type = 'button';
  apply.textContent = 'Use';
  apply.dataset.testid = 'weights-url-apply';
  const note = document.createElement('div');
  note.dataset.testid = 'weights-url-message';
  note.className = 'fp-hint';
  note.textContent = `From ${options.stored ?? options.defaultUrl}`;
  element.append(summary, input, apply, note);

  apply.addEventListener('click', () => {
    const typed = input.value.trim();
    const url = typed || options.defaultUrl;
    const problem = weightsUrlProblem(url, options.allowedDomains);
    if (problem) {
      note.textContent = `Not used: ${problem}.`;
      note.classList.add('fp-error');
      return;
    }
    note.textContent = `Loading the weights from ${url}…`;
    note.classList.remove('fp-error');
    options.onApply(url, typed);
  });

  return {
    element,
    /** Shows how the last load ended; a failure opens the setting, where the address can be fixed. */
    report(text: string, error: boolean) {
      note.textContent = text;
      note.classList.toggle('fp-error', error);
      if (error) element.open = true;
    },
  };
}
