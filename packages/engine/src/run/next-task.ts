/**
 * One turn of the event loop. Browsers throttle timers in hidden pages (to 1 s or more), so there a message to
 * ourselves is used; Node has setImmediate.
 */
export function nextTask(): Promise<void> {
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => void };
  if (setImmediate) return new Promise((resolve) => setImmediate(() => resolve()));
  if (typeof MessageChannel === 'function') {
    return new Promise((resolve) => {
      const { port1, port2 } = new MessageChannel();
      port1.onmessage = () => {
        port1.close();
        resolve();
      };
      port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
