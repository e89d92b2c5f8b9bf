import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { urlToHttpOptions } from 'node:url';

/** One request to kagent. */
export interface UpstreamRequest {
  readonly method: string;
  readonly headers?: OutgoingHttpHeaders;
  readonly body?: string;
  /** Aborts the request (and its response, while it is read). */
  readonly signal?: AbortSignal;
  /** `false`: a connection of its own instead of a pooled one. @default true */
  readonly pooled?: boolean;
  /** Called with each request sent (a retry sends a second one), e.g. to cancel it later. */
  readonly onRequest?: (req: ClientRequest) => void;
}

/**
 * The bridge's connections to kagent: one keep-alive pool per scheme, bounded by `maxSockets` (requests beyond
 * it wait for a free connection), so 1,000 streams do not open and close 1,000 TCP connections each minute.
 */
export class UpstreamPool {
  private readonly http: HttpAgent;
  private readonly https: HttpsAgent;
  /** Parsed request targets by URL: the bridge only calls the few URLs its configuration names. */
  private readonly targets = new Map<string, RequestOptions>();

  constructor(maxSockets: number) {
    const options = { keepAlive: true, maxSockets, maxFreeSockets: Math.min(maxSockets, 256), scheduling: 'lifo' as const, noDelay: true };
    this.http = new HttpAgent(options);
    this.https = new HttpsAgent(options);
  }

  /**
   * Sends a request and resolves with the response head (the body is left to the caller, unread, so it can
   * be consumed at the client's pace). A request that fails on a reused keep-alive socket before any answer
   * (the server closed it while idle) is retried once on a fresh one, as Node's docs advise.
   */
  public async send(url: string, init: UpstreamRequest): Promise<IncomingMessage> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(url, init);
      } catch (error) {
        const retry =
          attempt === 0 &&
          !init.signal?.aborted &&
          (error as { reusedSocket?: boolean }).reusedSocket &&
          (error as NodeJS.ErrnoException).code === 'ECONNRESET';
        if (!retry) throw error;
      }
    }
  }

  /** Closes the pooled connections. */
  public destroy(): void {
    this.http.destroy();
    this.https.destroy();
  }

  private once(url: string, init: UpstreamRequest): Promise<IncomingMessage> {
    const target = this.target(url);
    const secure = target.protocol === 'https:';
    const agent = init.pooled === false ? false : secure ? this.https : this.http;
    return new Promise((resolve, reject) => {
      // Options, not the URL string: Node would parse the URL again for every request. Only the fields a request
      // reads, not a spread of the parsed URL: Node copies and checks every field it is given.
      const req = (secure ? httpsRequest : httpRequest)({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        auth: target.auth,
        method: init.method,
        headers: init.headers,
        agent,
        signal: init.signal,
      });
      req.once('response', resolve);
      req.on('error', (error) => reject(Object.assign(error, { reusedSocket: req.reusedSocket })));
      init.onRequest?.(req);
      req.end(init.body);
    });
  }

  private target(url: string): RequestOptions {
    let target = this.targets.get(url);
    if (!target) {
      target = urlToHttpOptions(new URL(url)) as RequestOptions;
      this.targets.set(url, target);
    }
    return target;
  }
}

/** Reads a whole (small) response body as text, at most `limit` bytes. */
export async function readText(res: IncomingMessage, limit = 1024 * 1024): Promise<string> {
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res) {
    text += chunk;
    if (text.length > limit) {
      res.destroy();
      break;
    }
  }
  return text;
}
