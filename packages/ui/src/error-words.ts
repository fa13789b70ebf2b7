/**
 * Every error the panel shows, in words: one place maps ImpastoError codes (and their details) to sentences a
 * person can act on. Messages are never parsed here; file names appear as given.
 */
import { backendLabel, formatDuration } from '@impasto/engine';
import { type ImpastoError, isCancellation, isImpastoError, messageOf } from '@impasto/errors';
import { SIZE_CHOICES } from './settings.js';

/** A compute backend's name as people know it (the engine's table). */
export { backendLabel };

const num = (v: unknown) => (typeof v === 'number' ? v : Number.NaN);
/** A message as a sentence; one that starts with a file name or address keeps it as given. */
const sentence = (text: string) => {
  const first = text.split(' ', 1)[0] ?? '';
  const capital = /[./\\]/.test(first) ? text : text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?)]$/.test(capital) ? capital : `${capital}.`;
};

/** The image an error is about: its file name as given, else its role. */
function imageName(e: ImpastoError): string {
  const { name, role } = e.details;
  if (typeof name === 'string' && name) return name;
  if (role === 'content' || role === 'style') return `the ${role} image`;
  return typeof role === 'string' && role ? role : 'the image';
}

/** The largest size the menu offers below `size` (px), if any. */
const smallerChoice = (size: number) => SIZE_CHOICES.filter((s) => s < size).at(-1);

/** "1024 px did not fit in this device's memory; 768 px should." — or, without the run's size, plainer words. */
function outOfMemory(e: ImpastoError): string {
  const size = num(e.details.size);
  const smaller = smallerChoice(size);
  const restarted = e.details.restarted ? ' The engine has been restarted.' : '';
  if (!smaller) return `The device ran out of memory. Try a smaller size.${restarted}`;
  return `${size} px did not fit in this device's memory; ${smaller} px should.${restarted}`;
}

/** A run that hung: how long it was silent, against what its own work had taken. */
function stalled(e: ImpastoError): string {
  const d = e.details;
  const size = num(d.size);
  const smaller = smallerChoice(size);
  const usual =
    typeof d.expectedMs === 'number' ? `, where such work had taken about ${formatDuration(d.expectedMs)}` : '';
  const what = Number.isFinite(size) ? ` at ${size} px` : '';
  const advice = smaller ? ` Try ${smaller} px.` : '';
  return `The computation stopped responding${what} (nothing for ${formatDuration(num(d.silentMs))}${usual}), so it was stopped and the engine restarted.${advice}`;
}

function wordsFor(e: ImpastoError): string | undefined {
  const d = e.details;
  switch (e.code) {
    case 'cancelled':
      return 'Cancelled.';
    case 'bad-image':
      return d.reason === 'empty'
        ? `${imageName(e)} is empty: it has no pixels.`
        : `${imageName(e)} is not an image this browser can read (PNG, JPEG, WebP and GIF are).`;
    case 'image-too-large':
      return `${imageName(e)} is too large (${num(d.width)}x${num(d.height)}): the limit is ${num(d.maxSide)} px a side and ${num(d.maxPixels) / 1e6} megapixels.`;
    case 'image-too-small': {
      const fix =
        d.role === 'content' ? 'a larger or less narrow image, or a larger size' : 'a larger or less narrow image';
      return `${imageName(e)} (${num(d.width)}x${num(d.height)}) is too small or too narrow: the run would use it at ${num(d.runWidth)}x${num(d.runHeight)} px, and the style layers need at least ${num(d.minSide)} px a side. Choose ${fix}.`;
    }
    case 'out-of-memory':
      return outOfMemory(e);
    case 'stalled':
      return stalled(e);
    case 'exceeds-memory': {
      const picture = `${num(d.width)}x${num(d.height)}`;
      const gb = (bytes: number) => `${(bytes / 1e9).toPrecision(2)} GB`;
      const fits = SIZE_CHOICES.filter((s) => s <= num(d.largestSide)).at(-1);
      const choose = fits ? `Choose ${fits} px or smaller.` : 'Choose a smaller size.';
      const may = typeof d.memoryBytes === 'number' ? `the ${gb(d.memoryBytes)} a run may use` : 'what a run may use';
      return typeof d.deviceGB === 'number'
        ? `This device has about ${d.deviceGB} GB of memory; a ${picture} picture needs ${gb(num(d.needBytes))}, more than ${may} here. ${choose}`
        : `A ${picture} picture needs ${gb(num(d.needBytes))} of memory, more than ${may}. ${choose}`;
    }
    case 'backend-failed': {
      const label = backendLabel(String(d.backend ?? ''));
      if (d.stopped)
        return `The ${label} runtime stopped after an error: reload to start it again, or choose another under Advanced → Compute.`;
      return d.fatal
        ? `The ${label} computation failed and has been restarted: try again.`
        : `The ${label} computation failed. Try again, or another choice under Advanced → Compute.`;
    }
    default:
      return undefined;
  }
}

/** The words for any failure: an ImpastoError by its code, anything else by its own sentence. */
export function errorInWords(e: unknown): string {
  if (isCancellation(e)) return 'Cancelled.';
  if (isImpastoError(e)) {
    const words = wordsFor(e);
    if (words) return words;
  }
  return sentence(messageOf(e));
}
