/** The weights package's failures, as ImpastoErrors with the codes hosts map to words. */
import { ImpastoError, type ImpastoErrorDetails } from '@impasto/errors';

/** Malformed, hostile, incomplete or corrupt weights files. */
export function badWeights(message: string, details: ImpastoErrorDetails = {}): ImpastoError {
  return new ImpastoError('bad-weights', message, details);
}

/** Weights that cannot be fetched: offline, refused, CORS, an HTTP error status. */
export function weightsUnreachable(message: string, details: ImpastoErrorDetails = {}, cause?: unknown): ImpastoError {
  return new ImpastoError('weights-unreachable', message, details, cause === undefined ? undefined : { cause });
}

/** No weights where they were looked for. */
export function weightsMissing(message: string, location: string): ImpastoError {
  return new ImpastoError('weights-missing', message, { location });
}
