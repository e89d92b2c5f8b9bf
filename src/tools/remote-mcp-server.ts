import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import * as kagent from '../../imports/kagent.dev';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertDnsLabel } from '../core/names';
import { brand, isBranded } from '../core/brand';
import { isGoDuration } from '../core/duration';

/** MCP wire protocol as kagent names it. */
export type McpProtocol = 'STREAMABLE_HTTP' | 'SSE';

export interface RemoteMcpServerProps {
  /** RemoteMCPServer name; agents reference it. */
  readonly name: string;
  /** What the tools do (required by the CRD; shown in the kagent UI). */
  readonly description: string;
  /** Endpoint URL, e.g. `http://mcp-azure-devops-proxy.toolhive-system:8080/mcp`. */
  readonly url: string;
  /**
   * Wire protocol.
   * @default 'STREAMABLE_HTTP'
   */
  readonly protocol?: McpProtocol;
  /**
   * Connect/request timeout (Go duration). ADK's 5 s default is too short for proxied stdio servers.
   * @default '30s'
   */
  readonly timeout?: string;
  /**
   * SSE read timeout (Go duration).
   * @default '5m0s'
   */
  readonly sseReadTimeout?: string;
  /**
   * Namespace.
   * @default - the chart's namespace, else 'kagent'
   */
  readonly namespace?: NamespaceInput;
  /**
   * The tool names the server is known to offer (e.g. its ToolHive allow-list). Agents that name a tool
   * outside it fail at synth time instead of at run time.
   * @default - unknown: any tool name is accepted
   */
  readonly knownTools?: readonly string[];
  /**
   * The tools that change something (create, update, delete, run). An agent's selection of this server
   * requires a human's approval before each of them runs, unless the selection opts out with
   * `requireApproval: []` (see McpToolSelection.requireApproval).
   * @default - none known: nothing requires approval unless a selection asks
   */
  readonly writeTools?: readonly string[];
}

/**
 * A kagent `RemoteMCPServer` (kagent.dev/v1alpha2): an MCP endpoint agents can use as a tool source.
 */
export class RemoteMcpServer extends Construct {
  /** Returns true if `x` is a RemoteMcpServer. */
  public static isRemoteMcpServer(x: unknown): x is RemoteMcpServer {
    return isBranded(x, 'RemoteMcpServer');
  }

  public readonly name: string;
  public readonly namespace: string;
  public readonly url: string;
  public readonly protocol: McpProtocol;
  public readonly description: string;
  /** Request timeout (Go duration). */
  public readonly timeout: string;
  /** SSE read timeout (Go duration). */
  public readonly sseReadTimeout: string;
  /** The tools that change something; selections require approval for them by default. */
  public readonly writeTools: readonly string[];
  /** Known tool names, when declared. */
  public readonly knownTools?: readonly string[];
  public readonly resource: kagent.RemoteMcpServer;

  constructor(scope: Construct, id: string, props: RemoteMcpServerProps) {
    super(scope, id);
    brand(this, 'RemoteMcpServer');
    this.name = props.name;
    assertDnsLabel(this, 'name', this.name);
    this.namespace = props.namespace !== undefined ? namespaceName(props.namespace) : (Chart.of(this).namespace ?? 'kagent');
    if (!props.description?.trim()) {
      throw new Error(`${this.node.path}: description is required by the RemoteMCPServer CRD; say what the tools do`);
    }
    if (!/^https?:\/\/[^\s/]+/.test(props.url)) {
      throw new Error(`${this.node.path}: url "${props.url}" must be an http(s) URL, e.g. "http://mcp-x-proxy.toolhive-system:8080/mcp"`);
    }
    for (const [field, value] of [
      ['timeout', props.timeout],
      ['sseReadTimeout', props.sseReadTimeout],
    ] as const) {
      if (value !== undefined && !isGoDuration(value)) {
        throw new Error(`${this.node.path}: ${field} "${value}" is not a Go duration; use e.g. "30s" or "5m0s"`);
      }
    }
    this.url = props.url;
    this.protocol = props.protocol ?? 'STREAMABLE_HTTP';
    this.description = props.description;
    this.knownTools = props.knownTools;
    this.timeout = props.timeout ?? '30s';
    this.sseReadTimeout = props.sseReadTimeout ?? '5m0s';
    this.writeTools = [...(props.writeTools ?? [])];
    this.resource = new kagent.RemoteMcpServer(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        description: this.description,
        url: this.url,
        protocol: this.protocol as kagent.RemoteMcpServerSpecProtocol,
        timeout: this.timeout,
        sseReadTimeout: this.sseReadTimeout,
      },
    });
  }
}
