import { Agent, request } from 'node:https';

/** A Kubernetes object as the API server takes and returns it. */
export interface KubeObject {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly [key: string]: unknown };
  readonly [key: string]: unknown;
}

/** The API server's answer: the status code, the body, and its `Warning` headers (Pod Security warns there). */
export interface KubeResponse<T = any> {
  readonly status: number;
  readonly body: T;
  readonly warnings: readonly string[];
}

/** How a resource kind is served: its path segment and whether it lives in namespaces. */
interface ServedKind {
  readonly resource: string;
  readonly namespaced: boolean;
}

/**
 * The few calls verification needs — discovery, server-side apply, get, list, create — over one keep-alive HTTPS
 * connection with a bearer token. (kubectl cannot report a verdict per object of a multi-document apply.)
 */
export class KubeClient {
  private readonly agent: Agent;
  private kinds = new Map<string, ServedKind>();

  constructor(
    private readonly server: string,
    private readonly token: string,
    ca: string,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 8, ca });
  }

  public async request<T = any>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<KubeResponse<T>> {
    const url = new URL(path, this.server);
    const payload = body === undefined ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: this.agent,
          timeout: 60_000,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const warning = res.headers.warning;
            resolve({
              status: res.statusCode ?? 0,
              body: parseJson(text),
              warnings: (Array.isArray(warning) ? warning : warning ? [warning] : []).map(warningText),
            });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 60 s`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  /** Re-reads which kinds the server serves (after CRDs are established). */
  public async discover(): Promise<void> {
    const kinds = new Map<string, ServedKind>();
    const addGroupVersion = async (groupVersion: string, base: string) => {
      const list = await this.request<{ resources: Array<{ name: string; kind: string; namespaced: boolean }> }>('GET', base);
      for (const resource of list.body?.resources ?? []) {
        if (!resource.name.includes('/')) kinds.set(`${groupVersion}/${resource.kind}`, { resource: resource.name, namespaced: resource.namespaced });
      }
    };
    await addGroupVersion('v1', '/api/v1');
    const groups = await this.request<{ groups: Array<{ versions: Array<{ groupVersion: string }> }> }>('GET', '/apis');
    await Promise.all(groups.body.groups.flatMap((g) => g.versions.map((v) => addGroupVersion(v.groupVersion, `/apis/${v.groupVersion}`))));
    this.kinds = kinds;
  }

  /** The REST path of an object (or, without a name, of its collection), or undefined when the kind is not served. */
  public pathOf(object: KubeObject, withName = true): string | undefined {
    const served = this.kinds.get(`${object.apiVersion}/${object.kind}`);
    if (!served) return undefined;
    const base = object.apiVersion?.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
    const namespace = served.namespaced ? `/namespaces/${object.metadata?.namespace ?? 'default'}` : '';
    return `${base}${namespace}/${served.resource}${withName ? `/${encodeURIComponent(String(object.metadata?.name))}` : ''}`;
  }

  /** Server-side apply, as Argo CD does with `ServerSideApply=true` (optionally as a dry run). */
  public async apply(object: KubeObject, options: { readonly fieldManager: string; readonly dryRun?: boolean }): Promise<KubeResponse> {
    const path = this.pathOf(object);
    if (!path)
      return {
        status: 404,
        body: { message: `the server does not serve ${object.apiVersion} ${object.kind} (is its CRD installed and established?)` },
        warnings: [],
      };
    const query = `?fieldManager=${encodeURIComponent(options.fieldManager)}&force=true&fieldValidation=Strict${options.dryRun ? '&dryRun=All' : ''}`;
    return this.request('PATCH', `${path}${query}`, object, 'application/apply-patch+yaml');
  }

  public close(): void {
    this.agent.destroy();
  }
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

/** `299 - "text with \"quotes\""` → `text with "quotes"` (RFC 7234 warn-text is a quoted string). */
function warningText(header: string): string {
  const quoted = /^\d{3} \S+ "(.*)"$/.exec(header)?.[1];
  return quoted === undefined ? header : quoted.replace(/\\(.)/g, '$1');
}
