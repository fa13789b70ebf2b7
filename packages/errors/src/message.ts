/**
 * The words of any thrown value: an Error's message, else the value as a string. Its own module (and the package's
 * `./message` export) so code without the DOM's types, such as Figma's sandbox, can import it alone.
 */
export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
