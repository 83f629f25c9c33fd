import http from 'node:http';

export type CallResult<T> = { ok: true; data: T } | { ok: false; status: number; error: string };

/**
 * Calls Parley's tRPC procedures over HTTP (no batching: one request per call, as a
 * client that sends one message at a time does), on keep-alive connections.
 */
export class HttpCaller {
  private readonly agent: http.Agent;
  private readonly base: URL;

  constructor(baseUrl: string, maxSockets = 64) {
    this.base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  mutation<T>(path: string, input: unknown, token: string): Promise<CallResult<T>> {
    return this.request('POST', `/trpc/${path}`, token, JSON.stringify(input));
  }

  query<T>(path: string, input: unknown, token: string): Promise<CallResult<T>> {
    const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
    return this.request('GET', `/trpc/${path}${query}`, token, null);
  }

  /** A plain JSON POST to a non-tRPC path (the raw floor server), without a session. */
  post(path: string, body: unknown): Promise<CallResult<unknown>> {
    return this.request('POST', path, null, JSON.stringify(body));
  }

  /** A plain GET of a non-tRPC path (e.g. `/healthz`); resolves with the status. */
  get(path: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: this.base.hostname, port: this.base.port, path, method: 'GET', agent: this.agent },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  /**
   * One call. A keep-alive connection the server closed as idle (its keep-alive timeout)
   * just as a request went out on it fails with ECONNRESET before any answer: that
   * request is sent once more on a new connection, as Node's documentation advises
   * (`request.reusedSocket`) and browsers do. Parley's writes carry client ids, so even a
   * request that did arrive is not applied twice. The new connection is one of its own,
   * not the pool's: after a pause every pooled connection may have been closed alike.
   */
  private async request<T>(
    method: string,
    path: string,
    token: string | null,
    body: string | null,
  ): Promise<CallResult<T>> {
    const first = await this.attempt<T>(method, path, token, body, this.agent);
    return first.staleConnection ? this.attempt<T>(method, path, token, body, false) : first;
  }

  private attempt<T>(
    method: string,
    path: string,
    token: string | null,
    body: string | null,
    agent: http.Agent | false,
  ): Promise<CallResult<T> & { staleConnection?: true }> {
    return new Promise((resolve) => {
      const headers: http.OutgoingHttpHeaders = token ? { authorization: `Bearer ${token}` } : {};
      if (body !== null) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = http.request(
        {
          host: this.base.hostname,
          port: this.base.port,
          path,
          method,
          headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const status = res.statusCode ?? 0;
            if (status !== 200) {
              resolve({ ok: false, status, error: text.slice(0, 300) });
              return;
            }
            try {
              const parsed = JSON.parse(text) as { result?: { data?: T } };
              resolve({ ok: true, data: (parsed.result ? parsed.result.data : parsed) as T });
            } catch {
              resolve({ ok: false, status, error: `unparseable response: ${text.slice(0, 100)}` });
            }
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        const stale = req.reusedSocket && error.code === 'ECONNRESET';
        resolve({
          ok: false,
          status: 0,
          error: error.message,
          ...(stale ? { staleConnection: true } : {}),
        });
      });
      if (body !== null) req.write(body);
      req.end();
    });
  }
}
