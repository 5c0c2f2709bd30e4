import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP, type CloudEvent } from 'cloudevents';

export interface Received {
  event: CloudEvent<any>;
  headers: IncomingHttpHeaders;
  path: string;
}

export interface Sink {
  /** Stays the same across stop() and start(), so K_SINK can be set once. */
  url: string;
  received: Received[];
  /** Events answered with a non-2xx status. */
  refused: Received[];
  /** What to answer an event; 202 (as the Broker's ingress does) unless set. */
  answer: (event: CloudEvent<any>) => number;
  /** Milliseconds to wait before answering. */
  delayMs: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Resolves once `predicate` holds for what was received, or rejects after `timeoutMs`. */
  waitFor(predicate: (received: Received[]) => boolean, timeoutMs?: number, onPoll?: () => Promise<unknown>): Promise<void>;
}

/** A real HTTP CloudEvents sink on 127.0.0.1 that reads binary-mode events with the SDK. */
export async function startSink(): Promise<Sink> {
  let server: Server | undefined;
  let port = 0;
  const sink: Sink = {
    url: '',
    received: [],
    refused: [],
    answer: () => 202,
    delayMs: 0,
    async start() {
      const s = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          let event: CloudEvent<any>;
          try {
            event = HTTP.toEvent({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }) as CloudEvent<any>;
          } catch {
            res.writeHead(400).end();
            return;
          }
          const status = sink.answer(event);
          (status >= 200 && status < 300 ? sink.received : sink.refused).push({ event, headers: req.headers, path: req.url ?? '/' });
          setTimeout(() => res.writeHead(status).end(), sink.delayMs);
        });
      });
      await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
      port = (s.address() as AddressInfo).port;
      sink.url = `http://127.0.0.1:${port}/`;
      server = s;
    },
    async stop() {
      const s = server;
      server = undefined;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async waitFor(predicate, timeoutMs = 20_000, onPoll) {
      const until = Date.now() + timeoutMs;
      while (!predicate(sink.received)) {
        if (Date.now() > until) throw new Error(`the sink did not get the expected events in ${timeoutMs} ms (it has ${sink.received.length})`);
        await onPoll?.();
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
  await sink.start();
  return sink;
}

/** The events received for one appointment, in arrival order. */
export function eventsFor(received: Received[], appointmentId: number | string): CloudEvent<any>[] {
  return received.filter((r) => r.event.subject === `appointments/${appointmentId}`).map((r) => r.event);
}
