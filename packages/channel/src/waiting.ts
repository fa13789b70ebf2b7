/** The requests a channel sent that wait for their reply, by id; each may time out. */
import { ChannelError } from './channel-error.js';

// Every host this runs in has timers (the Figma sandbox too), though its type library may not say so.
declare function setTimeout(run: () => void, ms: number): unknown;
declare function clearTimeout(timer: unknown): void;

export interface Waiting {
  readonly type: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class WaitingRequests {
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 1;

  constructor(private readonly timeoutMs?: number) {}

  /** A new request of `type`: its id, and the promise of its reply. */
  open(type: string): { readonly id: number; readonly reply: Promise<unknown> } {
    const id = this.nextId++;
    const reply = new Promise<unknown>((resolve, reject) => {
      const ms = this.timeoutMs;
      const timer =
        ms === undefined
          ? undefined
          : setTimeout(
              () => this.take(id)?.reject(new ChannelError('timeout', `no reply to ${type} within ${ms} ms`)),
              ms,
            );
      const settled =
        <A>(then: (arg: A) => void) =>
        (arg: A) => {
          clearTimeout(timer);
          then(arg);
        };
      this.waiting.set(id, { type, resolve: settled(resolve), reject: settled(reject) });
    });
    return { id, reply };
  }

  /** The request `id`, no longer waiting (undefined when it was not). */
  take(id: number): Waiting | undefined {
    const request = this.waiting.get(id);
    this.waiting.delete(id);
    return request;
  }

  rejectAll(error: Error): void {
    for (const request of this.waiting.values()) request.reject(error);
    this.waiting.clear();
  }
}
