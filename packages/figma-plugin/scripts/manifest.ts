/** The plugin's manifest.json: made from the build settings, and checked the way Figma reads it. */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

export interface FigmaManifest {
  name: string;
  id: string;
  api: string;
  main: string;
  ui: string;
  editorType: string[];
  documentAccess: 'dynamic-page';
  networkAccess: { allowedDomains: string[]; devAllowedDomains?: string[]; reasoning: string };
}

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

export function createManifest(options: { weightsUrl: string; id: string }): FigmaManifest {
  const { origin, local } = weightsOrigin(options.weightsUrl);
  return {
    name: 'Impasto',
    id: options.id,
    api: '1.0.0',
    main: 'code.js',
    ui: 'ui.html',
    editorType: ['figma'],
    documentAccess: 'dynamic-page',
    networkAccess: {
      allowedDomains: [origin],
      // A development build reads the weights from this machine; Figma also lists localhost here.
      ...(local ? { devAllowedDomains: [origin] } : {}),
      reasoning: 'Impasto downloads the VGG19 network weights it runs on from this address, once per session.',
    },
  };
}

const EDITOR_TYPES = ['figma', 'figjam', 'dev', 'slides'];
const DOMAIN = /^(https?:\/\/|wss?:\/\/)?(\*\.)?[a-z0-9.-]+(\[[0-9a-f:]+\])?(:\d+)?(\/[^\s*]*)?$/i;

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

/**
 * What Figma would refuse in `manifest` (read from `dir`), as sentences; empty when it is valid. With
 * `weightsUrl`, also that the network access admits it.
 */
export function manifestProblems(manifest: unknown, dir: string, weightsUrl?: string): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return ['manifest.json is not a JSON object'];
  }
  const m = manifest as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of ['name', 'id', 'api', 'main']) {
    if (typeof m[key] !== 'string' || (m[key] as string).trim() === '')
      problems.push(`"${key}" must be a non-empty string`);
  }
  if (typeof m.api === 'string' && !/^\d+\.\d+\.\d+$/.test(m.api)) problems.push(`"api" must look like 1.0.0`);
  if (!Array.isArray(m.editorType) || m.editorType.length === 0) {
    problems.push('"editorType" must list at least one editor');
  } else {
    for (const t of m.editorType) if (!EDITOR_TYPES.includes(t)) problems.push(`"editorType" has unknown ${t}`);
  }
  if (m.documentAccess !== 'dynamic-page') problems.push('"documentAccess" must be "dynamic-page" for new plugins');

  const files: string[] = [];
  if (typeof m.main === 'string') files.push(m.main);
  if (typeof m.ui === 'string') files.push(m.ui);
  else if (typeof m.ui === 'object' && m.ui !== null) files.push(...Object.values(m.ui as Record<string, string>));
  else if (m.ui !== undefined) problems.push('"ui" must be a file name or a map of file names');
  for (const file of files) {
    const full = path.resolve(dir, file);
    if (!full.startsWith(path.resolve(dir) + path.sep)) problems.push(`${file} is outside the plugin folder`);
    else if (!existsSync(full) || !statSync(full).isFile() || statSync(full).size === 0)
      problems.push(`${file} is missing or empty`);
  }

  const access = m.networkAccess as Record<string, unknown> | undefined;
  const allowed = access?.allowedDomains;
  if (!Array.isArray(allowed) || allowed.length === 0 || !allowed.every((d) => typeof d === 'string')) {
    problems.push('"networkAccess.allowedDomains" must list domains (or "none")');
    return problems;
  }
  if (allowed.includes('none') && allowed.length > 1) problems.push('"none" must be the only allowed domain');
  const dev = Array.isArray(access?.devAllowedDomains) ? (access.devAllowedDomains as string[]) : [];
  for (const d of [...allowed, ...dev]) {
    if (d !== 'none' && !DOMAIN.test(d)) problems.push(`"${d}" is not a domain Figma accepts`);
  }
  if (allowed.some((d) => d !== 'none') && typeof access?.reasoning !== 'string') {
    problems.push('"networkAccess.reasoning" should say why the plugin needs the network');
  }
  if (weightsUrl) {
    const url = new URL(weightsUrl);
    if (![...allowed, ...dev].some((d) => domainAllows(d, url))) {
      problems.push(`networkAccess does not allow the weights URL ${weightsUrl}`);
    }
  }
  return problems;
}
