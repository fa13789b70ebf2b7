/** Turns engine and browser failures into sentences a non-expert can act on. */
export function friendlyError(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (/out of memory|OOM|allocation failed|Failed to allocate|CONTEXT_LOST/i.test(message)) {
    return 'The graphics card ran out of memory. Try a smaller size.';
  }
  return message.charAt(0).toUpperCase() + message.slice(1);
}
