/**
 * Which weights URLs the plugin may fetch: Figma enforces the manifest's `networkAccess` in the UI iframe, so a URL the
 * build did not allow would fail however the server is set up. Pure rules, used by the build (manifest) and the UI
 * (the weights URL setting).
 */

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origin that must be allowed for `weightsUrl`; https, or http on this machine (for development). */
export function weightsOrigin(weightsUrl: string): { origin: string; local: boolean } {
  let url: URL;
  try {
    url = new URL(weightsUrl);
  } catch {
    throw new Error(`the weights URL ${JSON.stringify(weightsUrl)} is not an absolute URL`);
  }
  const local = LOCAL_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new Error(`the weights URL must be https (or http on localhost for development); got ${weightsUrl}`);
  }
  return { origin: url.origin, local };
}

/** Whether an allowedDomains entry ("https://cdn.example.com", "*.example.com", "example.com/api/") admits `url`. */
export function domainAllows(entry: string, url: URL): boolean {
  const match = /^(?:([a-z]+):\/\/)?([^/]+)(\/.*)?$/i.exec(entry);
  if (!match) return false;
  const [, scheme, host = '', pathPrefix] = match;
  if (scheme && `${scheme}:` !== url.protocol) return false;
  // With a port (or an IPv6 address) the entry names host:port exactly; without, any port of that host.
  const hostOk = host.startsWith('*.')
    ? url.hostname.endsWith(host.slice(1))
    : host.includes(':')
      ? url.host === host
      : url.hostname === host;
  return hostOk && (!pathPrefix || url.pathname.startsWith(pathPrefix));
}

/** Why the plugin cannot use `weightsUrl` (a sentence), or null when it can: an https URL this build allows. */
export function weightsUrlProblem(weightsUrl: string, allowedDomains: readonly string[]): string | null {
  try {
    weightsOrigin(weightsUrl);
  } catch (e) {
    return (e as Error).message;
  }
  if (allowedDomains.some((d) => domainAllows(d, new URL(weightsUrl)))) return null;
  return `this build of the plugin may only download from ${allowedDomains.join(', ')}; rebuild it with that address in IMPASTO_FIGMA_ALLOWED_DOMAINS (see the README)`;
}
