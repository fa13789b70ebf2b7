import { ImpastoError } from '@impasto/errors';

/** A bad option value ('bad-option'); the message says which option, what it accepts and what it got. */
export class OptionError extends ImpastoError {
  override name = 'OptionError';
  constructor(message: string, option?: string) {
    super('bad-option', message, option === undefined ? {} : { option });
  }
}
