import { describe, expect, it } from 'vitest';
import { type Channel, createChannel, type Port, transferring } from './channel.js';
import { ChannelError, isChannelError } from './channel-error.js';
import { is, shape } from './checks.js';
import { messagePort } from './message-port.js';

type Client = {
  requests: {
    add: { payload: { a: number; b: number }; reply: number };
    echo: { payload: Uint8Array; reply: Uint8Array };
    never: { payload: undefined; reply: string };
  };
  events: { hi: string };
};
type Server = { requests: Record<never, never>; events: { tick: { n: number } } };

const serverChecks = {
  requests: { add: shape<{ a: number; b: number }>({ a: is.number, b: is.number }), echo: is.bytes, never: is.nothing },
  events: { hi: is.string },
  replies: {},
};
const clientChecks = {
  requests: {},
  events: { tick: shape<{ n: number }>({ n: is.count }) },
  replies: { add: is.number, echo: is.bytes, never: is.string },
};

/** Two ports that deliver to each other asynchronously, recording every message sent and its transfer list. */
function pair() {
  const sent: { from: 'a' | 'b'; message: unknown; transfer: ArrayBuffer[] }[] = [];
  const receivers: { a?: (data: unknown) => void; b?: (data: unknown) => void } = {};
  const port = (from: 'a' | 'b', to: 'a' | 'b'): Port => ({
    send(message, transfer) {
      sent.push({ from, message, transfer });
      queueMicrotask(() => receivers[to]?.(message));
    },
    listen(receive) {
      receivers[from] = receive;
      return () => delete receivers[from];
    },
  });
  return {
    a: port('a', 'b'),
    b: port('b', 'a'),
    sent,
    deliverTo: (side: 'a' | 'b', data: unknown) => receivers[side]?.(data),
  };
}

function connect(version = { client: 1, server: 1 }) {
  const wire = pair();
  const rejectedByServer: ChannelError[] = [];
  const rejectedByClient: ChannelError[] = [];
  const server: Channel<Server, Client> = createChannel<Server, Client>({
    name: 'test',
    version: version.server,
    port: wire.b,
    checks: serverChecks,
    onRejected: (e) => rejectedByServer.push(e),
  });
  const client: Channel<Client, Server> = createChannel<Client, Server>({
    name: 'test',
    version: version.client,
    port: wire.a,
    checks: clientChecks,
    onRejected: (e) => rejectedByClient.push(e),
  });
  return { wire, server, client, rejectedByServer, rejectedByClient };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('a channel', () => {
  it('sends a hello with its version first, and routes each reply to its own request', async () => {
    const { wire, server, client } = connect();
    server.handle('add', async ({ a, b }) => {
      await new Promise((resolve) => setTimeout(resolve, a)); // the first request answers last
      return a + b;
    });
    expect(wire.sent[0]?.message).toEqual({ channel: 'test', version: 1, kind: 'hello' });
    const answers = await Promise.all([client.request('add', { a: 20, b: 1 }), client.request('add', { a: 0, b: 2 })]);
    expect(answers).toEqual([21, 2]);
  });

  it('carries events to their listeners until they stop listening', async () => {
    const { server, client } = connect();
    const heard: number[] = [];
    const stop = client.on('tick', ({ n }) => heard.push(n));
    server.emit('tick', { n: 1 });
    await tick();
    stop();
    server.emit('tick', { n: 2 });
    await tick();
    expect(heard).toEqual([1]);
  });

  it("rejects with the handler's error, decoded on the requester's side", async () => {
    const { server, client } = connect();
    server.handle('add', () => {
      throw new Error('no sums today');
    });
    await expect(client.request('add', { a: 1, b: 2 })).rejects.toThrow('no sums today');
  });

  it('moves buffers named in a transfer list, both ways', async () => {
    const { wire, server, client } = connect();
    server.handle('echo', (bytes) => transferring(bytes, [bytes.buffer as ArrayBuffer]));
    const bytes = new Uint8Array([1, 2, 3]);
    const reply = await client.request('echo', bytes, [bytes.buffer]);
    expect(Array.from(reply)).toEqual([1, 2, 3]);
    const transfers = wire.sent.filter((s) => (s.message as { kind: string }).kind !== 'hello').map((s) => s.transfer);
    expect(transfers).toEqual([[bytes.buffer], [bytes.buffer]]);
  });

  it('turns away a malformed payload and an unknown type with typed errors, and keeps working', async () => {
    const { server, client, rejectedByServer } = connect();
    server.handle('add', ({ a, b }) => a + b);
    // @ts-expect-error: the wrong payload on purpose
    const malformed = await client.request('add', { a: 'one', b: 2 }).catch((e: unknown) => e);
    const unhandled = await client.request('never').catch((e: unknown) => e);
    expect(isChannelError(malformed, 'malformed')).toBe(true);
    expect(isChannelError(unhandled, 'unknown-type')).toBe(true);
    expect(rejectedByServer.map((e) => e.reason)).toEqual(['malformed', 'unknown-type']);
    expect(await client.request('add', { a: 1, b: 2 })).toBe(3);
  });

  it('turns away a message of another protocol version, and tells the sender', async () => {
    const { server, client, rejectedByServer } = connect({ client: 2, server: 1 });
    server.handle('add', ({ a, b }) => a + b);
    const error = await client.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChannelError);
    expect((error as ChannelError).reason).toBe('wrong-version');
    expect((error as Error).message).toMatch(/version 2.*version 1/);
    // The server turned away the client's hello and request, and heard that the client turned away its hello.
    expect(rejectedByServer.map((e) => e.reason)).toEqual(['wrong-version', 'wrong-version', 'wrong-version']);
    expect(rejectedByServer[2]?.message).toMatch(/the other side refused/);
  });

  it('reports data that is no message of the channel, and a reply to no waiting request', async () => {
    const { wire, rejectedByClient } = connect();
    await tick();
    wire.deliverTo('a', { hello: 'from a browser extension' });
    wire.deliverTo('a', { channel: 'test', version: 1, kind: 'reply', id: 99, ok: true, payload: 1 });
    wire.deliverTo('a', { channel: 'test', version: 1, kind: 'reply', id: 'x' });
    expect(rejectedByClient.map((e) => e.reason)).toEqual(['malformed', 'unknown-id', 'malformed']);
  });

  it('rejects a malformed reply instead of resolving with it', async () => {
    const { server, client } = connect();
    // A server whose protocol drifted: its handler's answer is not the number the client's check expects.
    server.handle('add', () => 'three' as unknown as number);
    const error = await client.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
    expect(isChannelError(error, 'malformed')).toBe(true);
  });

  it('rejects waiting requests when closed (with the reason given), and refuses new ones', async () => {
    const { server, client } = connect();
    server.handle('add', () => new Promise<number>(() => {}));
    const waiting = client.request('add', { a: 1, b: 2 });
    client.close(new Error('the worker died'));
    await expect(waiting).rejects.toThrow('the worker died');
    const after = await client.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
    expect(isChannelError(after, 'closed')).toBe(true);
  });

  it('rejects a request not answered in time when given a timeout', async () => {
    const wire = pair();
    createChannel<Server, Client>({ name: 'test', version: 1, port: wire.b, checks: serverChecks }).handle(
      'add',
      () => new Promise<number>(() => {}),
    );
    const client = createChannel<Client, Server>({
      name: 'test',
      version: 1,
      port: wire.a,
      checks: clientChecks,
      timeoutMs: 20,
    });
    const error = await client.request('add', { a: 1, b: 2 }).catch((e: unknown) => e);
    expect(isChannelError(error, 'timeout')).toBe(true);
  });

  it('runs over a MessageChannel as it is, transferring buffers', async () => {
    const { port1, port2 } = new MessageChannel();
    const server = createChannel<Server, Client>({
      name: 'test',
      version: 1,
      port: messagePort(port1),
      checks: serverChecks,
    });
    server.handle('echo', (bytes) => bytes);
    const client = createChannel<Client, Server>({
      name: 'test',
      version: 1,
      port: messagePort(port2),
      checks: clientChecks,
    });
    const bytes = new Uint8Array([4, 5]);
    const reply = await client.request('echo', bytes, [bytes.buffer]);
    expect([Array.from(reply), bytes.byteLength]).toEqual([[4, 5], 0]); // the sender's copy moved away
    client.close();
    server.close();
    port1.close();
    port2.close();
  });
});
