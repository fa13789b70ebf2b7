/**
 * Every error the panel shows, in words: one place maps ImpastoError codes (and their details) to sentences a
 * person can act on. Messages are never parsed here; file names appear as given.
 */
import { type ImpastoError, isCancellation, isImpastoError } from '@impasto/errors';
import { SIZE_CHOICES } from './settings.js';

const BACKEND_LABELS: Record<string, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  'ort-wasm': 'WebAssembly (ONNX Runtime)',
  wasm: 'WebAssembly (TensorFlow.js)',
  cpu: 'plain JavaScript',
};

/** A compute backend's name as people know it. */
export const backendLabel = (name: string): string => BACKEND_LABELS[name] ?? name;

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
      return 'The device ran out of memory. Try a smaller size.';
    case 'exceeds-memory': {
      const picture = `${num(d.width)}x${num(d.height)}`;
      const need = `${(num(d.needBytes) / 1e9).toFixed(1)} GB`;
      const fits = SIZE_CHOICES.filter((s) => s <= num(d.largestSide)).at(-1);
      const choose = fits ? `Choose ${fits} px or smaller.` : 'Choose a smaller size.';
      return typeof d.deviceGB === 'number'
        ? `This device has about ${d.deviceGB} GB of memory, too little for a ${picture} picture (its optimiser alone needs ${need}). ${choose}`
        : `A ${picture} picture needs ${need} for its optimiser alone, more than the run may use. ${choose}`;
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
  return sentence(e instanceof Error ? e.message : String(e));
}
