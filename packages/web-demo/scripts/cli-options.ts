/** `--port N` and `--host H` for dev and preview (defaults: 8080 on 127.0.0.1; PORT and HOST work too). */
export function serverOptions(argv: readonly string[], env: Record<string, string | undefined>) {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const portText = value('--port') ?? env.PORT ?? '8080';
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0–65535, got ${portText}`);
  return { port, host: value('--host') ?? env.HOST ?? '127.0.0.1' };
}
