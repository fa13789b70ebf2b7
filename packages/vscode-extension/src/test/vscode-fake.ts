/**
 * A typed stand-in for the parts of the `vscode` module the extension uses. vitest.config.ts aliases `vscode` to this
 * file; the bottom of the file checks at compile time that every stand-in has the real API's type. `fake` is the
 * test's handle: the in-memory file system, settings, scripted answers to dialogs, and what the extension did.
 */
import type * as vscode from 'vscode';

// ---------- Uri ----------

function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return `/${out.join('/')}${path.endsWith('/') && out.length ? '/' : ''}`;
}

export class Uri implements Omit<vscode.Uri, 'with'> {
  private constructor(
    readonly scheme: string,
    readonly authority: string,
    readonly path: string,
    readonly query: string,
    readonly fragment: string,
  ) {}

  static file(path: string): Uri {
    return new Uri('file', '', normalizePath(path), '', '');
  }

  static parse(value: string): Uri {
    const m = /^([a-zA-Z][\w+.-]*):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/.exec(value);
    if (!m) throw new Error(`not a URI: ${value}`);
    return new Uri(m[1] ?? '', m[2] ?? '', m[3] || '/', m[4] ?? '', m[5] ?? '');
  }

  static from(c: { scheme: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(c.scheme, c.authority ?? '', c.path ?? '/', c.query ?? '', c.fragment ?? '');
  }

  static joinPath(base: Uri, ...segments: string[]): Uri {
    return base.with({ path: normalizePath([base.path, ...segments].join('/')) });
  }

  get fsPath(): string {
    return this.path;
  }

  with(change: { scheme?: string; authority?: string; path?: string; query?: string; fragment?: string }): Uri {
    return new Uri(
      change.scheme ?? this.scheme,
      change.authority ?? this.authority,
      change.path ?? this.path,
      change.query ?? this.query,
      change.fragment ?? this.fragment,
    );
  }

  toString(): string {
    const authority = this.authority || this.scheme === 'file' ? `//${this.authority}` : '';
    return `${this.scheme}:${authority}${this.path}${this.query ? `?${this.query}` : ''}${this.fragment ? `#${this.fragment}` : ''}`;
  }

  toJSON(): unknown {
    return { scheme: this.scheme, authority: this.authority, path: this.path };
  }
}

// ---------- small classes and enums ----------

export class FileSystemError extends Error {
  override name = 'FileSystemError';
  constructor(
    messageOrUri?: string | Uri,
    readonly code = 'Unknown',
  ) {
    super(typeof messageOrUri === 'string' ? messageOrUri : `${code}: ${messageOrUri?.toString() ?? ''}`);
  }
  static FileNotFound = (m?: string | Uri) => new FileSystemError(m, 'FileNotFound');
  static FileExists = (m?: string | Uri) => new FileSystemError(m, 'FileExists');
  static FileNotADirectory = (m?: string | Uri) => new FileSystemError(m, 'FileNotADirectory');
  static FileIsADirectory = (m?: string | Uri) => new FileSystemError(m, 'FileIsADirectory');
  static NoPermissions = (m?: string | Uri) => new FileSystemError(m, 'NoPermissions');
  static Unavailable = (m?: string | Uri) => new FileSystemError(m, 'Unavailable');
}

export class Disposable {
  private done = false;
  constructor(private readonly callOnDispose: () => unknown) {}
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => {
      for (const d of items) d.dispose();
    });
  }
  dispose(): void {
    if (!this.done) this.callOnDispose();
    this.done = true;
  }
}

export class EventEmitter<T> {
  private listeners = new Set<(e: T) => unknown>();
  readonly event = (listener: (e: T) => unknown): Disposable => {
    this.listeners.add(listener);
    return new Disposable(() => this.listeners.delete(listener));
  };
  fire(data: T): void {
    for (const l of [...this.listeners]) l(data);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export enum FileType {
  Unknown = 0,
  File = 1,
  Directory = 2,
  SymbolicLink = 64,
}

export enum ProgressLocation {
  SourceControl = 1,
  Window = 10,
  Notification = 15,
}

export enum ViewColumn {
  Active = -1,
  Beside = -2,
  One = 1,
  Two = 2,
}

// ---------- an in-memory file system ----------

type Entry = { type: 'file'; data: Uint8Array; mtime: number } | { type: 'dir'; mtime: number };
type FsOp = 'readFile' | 'writeFile' | 'rename' | 'delete' | 'copy' | 'createDirectory' | 'stat';

const parentOf = (path: string) => path.slice(0, Math.max(1, path.replace(/\/$/, '').lastIndexOf('/')));

/** Files keyed by `scheme:path`. Folders can be read-only, files unreadable, and any operation made to fail. */
export class MemoryFileSystem implements vscode.FileSystem {
  readonly entries = new Map<string, Entry>();
  readonly readOnlyFolders = new Set<string>();
  readonly unreadableFiles = new Set<string>();
  readonly readOnlySchemes = new Set<string>();
  /** Makes the next matching operation throw, e.g. `failures.push({ op: 'rename', error: ... })`. */
  readonly failures: { op: FsOp; error: Error; when?: (uri: Uri) => boolean }[] = [];
  readonly log: { op: FsOp; path: string }[] = [];

  private key(uri: Uri): string {
    return `${uri.scheme}:${uri.path.replace(/(.)\/$/, '$1')}`;
  }

  private check(op: FsOp, uri: Uri): void {
    this.log.push({ op, path: uri.path });
    const i = this.failures.findIndex((f) => f.op === op && (!f.when || f.when(uri)));
    const failure = i >= 0 ? this.failures.splice(i, 1)[0] : undefined;
    if (failure) throw failure.error;
  }

  private assertWritable(uri: Uri): void {
    const readOnly =
      this.readOnlySchemes.has(uri.scheme) ||
      [...this.readOnlyFolders].some((f) => uri.path === f || uri.path.startsWith(`${f.replace(/\/$/, '')}/`));
    if (readOnly) throw FileSystemError.NoPermissions(uri);
  }

  private mkdirs(uri: Uri): void {
    const parts = uri.path.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) {
      const dir = uri.with({ path: `/${parts.slice(0, i).join('/')}` });
      const existing = this.entries.get(this.key(dir));
      if (existing?.type === 'file') throw FileSystemError.FileNotADirectory(dir);
      if (!existing) this.entries.set(this.key(dir), { type: 'dir', mtime: Date.now() });
    }
  }

  /** Test helper: a file (and its folders), bypassing permissions. */
  put(uri: Uri, data: Uint8Array | string): void {
    this.mkdirs(uri.with({ path: parentOf(uri.path) }));
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    this.entries.set(this.key(uri), { type: 'file', data: bytes, mtime: Date.now() });
  }

  get(uri: Uri): Uint8Array | undefined {
    const e = this.entries.get(this.key(uri));
    return e?.type === 'file' ? e.data : undefined;
  }

  /** Paths of every file under a folder (for "nothing half-written" checks). */
  filesUnder(folder: Uri): string[] {
    const prefix = `${this.key(folder)}/`;
    return [...this.entries]
      .filter(([k, e]) => e.type === 'file' && k.startsWith(prefix))
      .map(([k]) => k.slice(k.indexOf(':') + 1))
      .sort();
  }

  async stat(uri: Uri): Promise<vscode.FileStat> {
    this.check('stat', uri);
    const e = this.entries.get(this.key(uri));
    if (!e) throw FileSystemError.FileNotFound(uri);
    return {
      type: e.type === 'file' ? FileType.File : FileType.Directory,
      ctime: e.mtime,
      mtime: e.mtime,
      size: e.type === 'file' ? e.data.length : 0,
    };
  }

  async readDirectory(uri: Uri): Promise<[string, vscode.FileType][]> {
    const prefix = `${this.key(uri)}/`;
    return [...this.entries]
      .filter(([k]) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/'))
      .map(([k, e]) => [k.slice(prefix.length), e.type === 'file' ? FileType.File : FileType.Directory]);
  }

  async createDirectory(uri: Uri): Promise<void> {
    this.check('createDirectory', uri);
    this.assertWritable(uri);
    this.mkdirs(uri);
  }

  async readFile(uri: Uri): Promise<Uint8Array> {
    this.check('readFile', uri);
    const e = this.entries.get(this.key(uri));
    if (!e) throw FileSystemError.FileNotFound(uri);
    if (e.type === 'dir') throw FileSystemError.FileIsADirectory(uri);
    if (this.unreadableFiles.has(uri.path)) throw FileSystemError.NoPermissions(uri);
    return e.data.slice();
  }

  async writeFile(uri: Uri, content: Uint8Array): Promise<void> {
    this.check('writeFile', uri);
    this.assertWritable(uri);
    if (this.entries.get(this.key(uri))?.type === 'dir') throw FileSystemError.FileIsADirectory(uri);
    this.mkdirs(uri.with({ path: parentOf(uri.path) }));
    this.entries.set(this.key(uri), { type: 'file', data: content.slice(), mtime: Date.now() });
  }

  async delete(uri: Uri, options?: { recursive?: boolean; useTrash?: boolean }): Promise<void> {
    this.check('delete', uri);
    this.assertWritable(uri);
    const key = this.key(uri);
    if (!this.entries.has(key)) throw FileSystemError.FileNotFound(uri);
    const children = [...this.entries.keys()].filter((k) => k.startsWith(`${key}/`));
    if (children.length && !options?.recursive) throw new FileSystemError('folder not empty', 'Unknown');
    for (const k of [key, ...children]) this.entries.delete(k);
  }

  async rename(source: Uri, target: Uri, options?: { overwrite?: boolean }): Promise<void> {
    this.check('rename', source);
    this.assertWritable(source);
    this.assertWritable(target);
    await this.move(source, target, options?.overwrite ?? false, true);
  }

  async copy(source: Uri, target: Uri, options?: { overwrite?: boolean }): Promise<void> {
    this.check('copy', source);
    this.assertWritable(target);
    if (this.unreadableFiles.has(source.path)) throw FileSystemError.NoPermissions(source);
    await this.move(source, target, options?.overwrite ?? false, false);
  }

  private async move(source: Uri, target: Uri, overwrite: boolean, removeSource: boolean): Promise<void> {
    const from = this.key(source);
    const to = this.key(target);
    if (!this.entries.has(from)) throw FileSystemError.FileNotFound(source);
    if (this.entries.has(to)) {
      if (!overwrite) throw FileSystemError.FileExists(target);
      for (const k of [...this.entries.keys()]) if (k === to || k.startsWith(`${to}/`)) this.entries.delete(k);
    }
    this.mkdirs(target.with({ path: parentOf(target.path) }));
    for (const [k, e] of [...this.entries]) {
      if (k !== from && !k.startsWith(`${from}/`)) continue;
      this.entries.set(to + k.slice(from.length), e.type === 'file' ? { ...e, data: e.data.slice() } : { ...e });
      if (removeSource) this.entries.delete(k);
    }
  }

  isWritableFileSystem(scheme: string): boolean | undefined {
    if (this.readOnlySchemes.has(scheme)) return false;
    return scheme === 'file' || scheme === 'vscode-userdata' ? true : undefined;
  }
}

// ---------- webviews ----------

/** A webview whose page is the test: `posted` holds what the extension sent, `receive` plays the page's messages. */
export class FakeWebview implements vscode.Webview {
  options: vscode.WebviewOptions = {};
  html = '';
  readonly posted: unknown[] = [];
  /** Called for every message the extension posts (the browser test forwards them to the page). */
  onPost: ((message: unknown) => void) | undefined;
  private readonly received = new EventEmitter<unknown>();
  readonly onDidReceiveMessage = this.received.event;

  constructor(
    private readonly toWebviewUrl = (uri: Uri) => `https://file+.vscode-resource.fake${uri.path}`,
    readonly cspSource = 'https://fake.vscode-cdn.net',
  ) {}

  asWebviewUri(uri: Uri): Uri {
    return Uri.parse(this.toWebviewUrl(uri));
  }

  async postMessage(message: unknown): Promise<boolean> {
    this.posted.push(message);
    this.onPost?.(message);
    return true;
  }

  /** The page posts `message` to the extension. */
  receive(message: unknown): void {
    this.received.fire(message);
  }
}

export class FakeWebviewPanel implements Omit<vscode.WebviewPanel, 'onDidChangeViewState'> {
  readonly viewType = 'impasto.preview';
  title = 'Impasto';
  iconPath = undefined;
  readonly options = {};
  readonly viewColumn = ViewColumn.One;
  readonly active = true;
  readonly visible = true;
  disposed = false;
  private readonly disposeEmitter = new EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;
  readonly onDidChangeViewState = new EventEmitter<vscode.WebviewPanelOnDidChangeViewStateEvent>().event;

  constructor(readonly webview: FakeWebview = new FakeWebview()) {}

  reveal(): void {}

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeEmitter.fire();
  }
}

// ---------- what the extension did, and scripted answers ----------

export type MessageLevel = 'error' | 'warning' | 'info';

function freshState() {
  return {
    fs: new MemoryFileSystem(),
    settings: new Map<string, unknown>(),
    workspaceFolders: undefined as { uri: Uri; name: string; index: number }[] | undefined,
    messages: [] as { level: MessageLevel; message: string; items: string[]; modal: boolean }[],
    /** Answers a shown message (the clicked item, or undefined for "closed"); default: closes it. */
    answer: (_m: { level: MessageLevel; message: string; items: string[] }): string | undefined => undefined,
    /** Results of showOpenDialog, consumed in order (undefined: cancelled). */
    openDialogResults: [] as (Uri[] | undefined)[],
    openDialogs: [] as vscode.OpenDialogOptions[],
    commands: new Map<string, (...args: unknown[]) => unknown>(),
    /** Every executeCommand call, registered or not. */
    executed: [] as { command: string; args: unknown[] }[],
    progress: [] as {
      title: string | undefined;
      cancellable: boolean;
      reports: { message?: string; increment?: number }[];
      /** Presses the notification's Cancel button. */
      cancel: () => void;
    }[],
    customEditors: new Map<string, { provider: unknown; options: unknown }>(),
    activeTabInput: undefined as unknown,
  };
}

export let fake = freshState();

/** A clean stand-in for the next test. */
export function resetFake(): typeof fake {
  fake = freshState();
  return fake;
}

/** Resolves once the extension's pending promise chains (message handlers, dialogs) have run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

function show(level: MessageLevel) {
  // biome-ignore lint/suspicious/noExplicitAny: matches every overload of window.show*Message.
  return async (message: string, ...rest: unknown[]): Promise<any> => {
    const options = typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as vscode.MessageOptions) : undefined;
    const items = rest.filter((r): r is string => typeof r === 'string');
    const entry = { level, message, items, modal: options?.modal ?? false };
    fake.messages.push(entry);
    return fake.answer(entry);
  };
}

export const workspace = {
  get fs() {
    return fake.fs;
  },
  get workspaceFolders() {
    return fake.workspaceFolders;
  },
  getConfiguration(section?: string): vscode.WorkspaceConfiguration {
    const full = (key: string) => (section ? `${section}.${key}` : key);
    return {
      // biome-ignore lint/suspicious/noExplicitAny: WorkspaceConfiguration.get is generic in its result.
      get: (key: string, fallback?: unknown): any =>
        fake.settings.has(full(key)) ? fake.settings.get(full(key)) : fallback,
      has: (key: string) => fake.settings.has(full(key)),
      inspect: () => undefined,
      update: async (key: string, value: unknown) => void fake.settings.set(full(key), value),
    };
  },
};

export const window = {
  showErrorMessage: show('error'),
  showWarningMessage: show('warning'),
  showInformationMessage: show('info'),
  async showOpenDialog(options?: vscode.OpenDialogOptions): Promise<Uri[] | undefined> {
    fake.openDialogs.push(options ?? {});
    return fake.openDialogResults.shift();
  },
  async withProgress<R>(
    options: vscode.ProgressOptions,
    task: (
      progress: vscode.Progress<{ message?: string; increment?: number }>,
      token: vscode.CancellationToken,
    ) => Thenable<R>,
  ): Promise<R> {
    const cancelled = new EventEmitter<unknown>();
    const token = { isCancellationRequested: false, onCancellationRequested: cancelled.event };
    const cancel = () => {
      token.isCancellationRequested = true;
      cancelled.fire(undefined);
    };
    const record = {
      title: options.title,
      cancellable: options.cancellable ?? false,
      reports: [] as { message?: string; increment?: number }[],
      cancel,
    };
    fake.progress.push(record);
    return task({ report: (r) => void record.reports.push(r) }, token);
  },
  registerCustomEditorProvider(viewType: string, provider: unknown, options?: unknown): Disposable {
    fake.customEditors.set(viewType, { provider, options });
    return new Disposable(() => fake.customEditors.delete(viewType));
  },
  tabGroups: {
    get activeTabGroup() {
      return { activeTab: fake.activeTabInput === undefined ? undefined : { input: fake.activeTabInput } };
    },
  },
};

export const commands = {
  registerCommand(command: string, callback: (...args: unknown[]) => unknown): Disposable {
    if (fake.commands.has(command)) throw new Error(`command ${command} already registered`);
    fake.commands.set(command, callback);
    return new Disposable(() => fake.commands.delete(command));
  },
  // biome-ignore lint/suspicious/noExplicitAny: executeCommand is generic in its result.
  async executeCommand(command: string, ...args: unknown[]): Promise<any> {
    fake.executed.push({ command, args });
    return fake.commands.get(command)?.(...args);
  },
};

// ---------- compile-time check: each stand-in has the real API's type ----------

type Vscode = typeof import('vscode');
type Used<K extends keyof Vscode, M extends keyof Vscode[K]> = Pick<Vscode[K], M>;
export const typeCheck: {
  workspace: Used<'workspace', 'getConfiguration'> & { fs: vscode.FileSystem };
  window: Used<
    'window',
    'showErrorMessage' | 'showWarningMessage' | 'showInformationMessage' | 'showOpenDialog' | 'withProgress'
  >;
  commands: Used<'commands', 'registerCommand' | 'executeCommand'>;
  webview: Omit<vscode.Webview, 'asWebviewUri'>;
  FileSystemError: Pick<Vscode['FileSystemError'], 'FileNotFound' | 'NoPermissions' | 'FileExists'>;
} = {
  workspace,
  window,
  commands,
  webview: new FakeWebview(),
  FileSystemError,
};
