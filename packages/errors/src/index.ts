/**
 * One error type for every layer of Impasto. Code that throws says *what* went wrong with a stable `code` and the
 * values a UI needs (`details`); the layer that shows it (CLI, panel, host) chooses the words from the code. The
 * message is a complete English sentence too, for logs and for callers that do not map codes.
 */
export type ImpastoErrorCode =
  /** An option or argument is out of range or of the wrong kind. details: { option } */
  | 'bad-option'
  /** An image cannot be read or decoded (not an image, truncated, unsupported). details: { role } */
  | 'bad-image'
  /** An image is smaller than the layers in use need. details: { role, width, height, minSide } */
  | 'image-too-small'
  /** An image is larger than the engine accepts. details: { role, width, height, maxSide, maxPixels } */
  | 'image-too-large'
  /** A mask does not fit the content image (aspect ratio). details: { index } */
  | 'bad-mask'
  /** The weights lack layers the run needs. details: { missing, available } */
  | 'missing-layers'
  /** The weights files are malformed, hostile, incomplete or fail their checksum. details: { file? } */
  | 'bad-weights'
  /** The weights cannot be fetched (offline, 404, CORS, refused). details: { url?, status? } */
  | 'weights-unreachable'
  /** No weights were found where they were looked for. details: { location } */
  | 'weights-missing'
  /**
   * The device ran out of memory (GPU, wasm heap, process), or a runtime failed inside a kernel for want of it.
   * details: { backend, size?, fatal?, restarted? } (size: the run's; restarted: its runtime was replaced)
   */
  | 'out-of-memory'
  /**
   * A run made no progress for many times as long as its own tiles and steps took (a runtime that hung): it was
   * stopped and its runtime replaced. details: { backend, size, silentMs, expectedMs?, work, restarted }
   */
  | 'stalled'
  /**
   * Checked before a run, from the compute path's memory model: the run would need more than it may use. details:
   * { width, height, needBytes, optimizerBytes, memoryBytes, largestSide, backend?, deviceGB? } (deviceGB: the
   * browser's navigator.deviceMemory, when the limit comes from it)
   */
  | 'exceeds-memory'
  /** The compute backend failed or is unavailable. details: { backend } */
  | 'backend-failed'
  /** The run was cancelled by its AbortSignal (name is 'AbortError' too). */
  | 'cancelled'
  /** A file could not be read or written. details: { path } */
  | 'io'
  /** A bug: something that should not happen. */
  | 'internal';

export type ImpastoErrorDetails = Readonly<Record<string, unknown>>;

export class ImpastoError extends Error {
  override name = 'ImpastoError';
  readonly code: ImpastoErrorCode;
  readonly details: ImpastoErrorDetails;

  constructor(
    code: ImpastoErrorCode,
    message: string,
    details: ImpastoErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
    this.details = details;
    // Cancellation keeps the DOM convention, so `e.name === 'AbortError'` checks elsewhere still hold.
    if (code === 'cancelled') this.name = 'AbortError';
  }
}

export function isImpastoError(e: unknown, code?: ImpastoErrorCode): e is ImpastoError {
  return e instanceof ImpastoError && (code === undefined || e.code === code);
}

/** The error an aborted signal stands for: its own reason when that is already an AbortError, else a new one. */
export function cancelledError(signal?: AbortSignal): ImpastoError {
  const reason: unknown = signal?.reason;
  if (reason instanceof ImpastoError && reason.code === 'cancelled') return reason;
  return new ImpastoError(
    'cancelled',
    'stylization cancelled',
    {},
    reason === undefined ? undefined : { cause: reason },
  );
}

/** True for a cancellation in any of its shapes (ours, a DOMException or a plain AbortError). */
export function isCancellation(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || (e instanceof ImpastoError && e.code === 'cancelled'));
}

import { messageOf } from './message.js';

export { messageOf };

/**
 * An error as plain data, for crossing a postMessage boundary (Worker, webview, Figma UI): structured clone keeps
 * neither the class nor custom fields reliably. `fromWire` rebuilds the ImpastoError on the other side.
 */
export interface WireError {
  readonly code: ImpastoErrorCode;
  readonly message: string;
  readonly details: ImpastoErrorDetails;
}

export function toWire(e: unknown): WireError {
  if (e instanceof ImpastoError) return { code: e.code, message: e.message, details: e.details };
  if (isCancellation(e)) return { code: 'cancelled', message: 'stylization cancelled', details: {} };
  return { code: 'internal', message: messageOf(e), details: {} };
}

export function fromWire(w: WireError): ImpastoError {
  return new ImpastoError(w.code, w.message, w.details);
}
