import { type ImpastoError, isCancellation, isImpastoError, messageOf } from '@impasto/errors';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERRUPTED = 130;

export interface Failure {
  /** What stderr shows, without the `impasto: ` prefix. */
  readonly text: string;
  readonly exit: number;
}

/** Per code, what the command line adds to the error's own sentence: a hint the user can act on. */
const HINTS: Partial<Record<ImpastoError['code'], string>> = {
  'missing-layers': ' (with partial weights, try --preset shallow)',
  'out-of-memory': '; try a smaller --size',
  'exceeds-memory': '; choose a smaller --size, or allow more with --max-memory',
  'image-too-small': '; use a larger image or a shallower layer set (--preset shallow)',
};

/** The CLI's words for any failure, chosen by its code (never by matching the message). */
export function describeFailure(e: unknown): Failure {
  if (isCancellation(e)) return { text: 'cancelled; nothing written', exit: EXIT_INTERRUPTED };
  if (!isImpastoError(e)) {
    return { text: `failed: ${messageOf(e)}`, exit: EXIT_FAILURE };
  }
  if (e.code === 'bad-option') return { text: `${e.message}\nRun impasto --help for usage.`, exit: EXIT_USAGE };
  if (e.code === 'internal' || e.code === 'backend-failed') return { text: `failed: ${e.message}`, exit: EXIT_FAILURE };
  return { text: `${e.message}${HINTS[e.code] ?? ''}`, exit: EXIT_FAILURE };
}
