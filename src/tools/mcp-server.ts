import { Construct } from 'constructs';
import * as toolhive from '../../imports/toolhive.stacklok.dev';
import { namespaceName, type NamespaceInput } from '../namespaces/namespace-input';
import { assertPinnedImage } from '../core/image';
import { assertDnsLabel } from '../core/names';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from '../core/pod-security';
import { RequiredSecret } from '../core/required-secret';
import { assertSecretRef } from '../core/secret-ref';
import { assertResources, toPlainResources, type ContainerResources } from '../core/resources';
import { RemoteMcpServer, type McpProtocol } from './remote-mcp-server';

/** How the MCP server process talks. */
export type McpTransport = 'stdio' | 'streamable-http' | 'sse';
/** How ToolHive's proxy exposes a stdio server. */
export type McpProxyMode = 'streamable-http' | 'sse';

/** An environment variable filled from a Secret key by ToolHive. */
export interface McpSecretEnv {
  /** Secret name. */
  readonly name: string;
  /** Key in the Secret. */
  readonly key: string;
  /** Environment variable the value lands in. */
  readonly targetEnvName: string;
  /**
   * What the value is, for the operator's secret inventory.
   * @default - the variable name
   */
  readonly purpose?: string;
}

export interface McpServerProps {
  /** MCPServer name; the proxy Service is `mcp-<name>-proxy`. */
  readonly name: string;
  /** Namespace of the ToolHive-managed server. */
  readonly namespace: NamespaceInput;
  /** Pinned container image. */
  readonly image: string;
  /** What the tools do (used when registering in kagent). */
  readonly description: string;
  /**
   * The server's own transport.
   * @default 'stdio'
   */
  readonly transport?: McpTransport;
  /**
   * How the proxy exposes a stdio server.
   * @default 'streamable-http'
   */
  readonly proxyMode?: McpProxyMode;
  /**
   * Port of the proxy and its Service.
   * @default 8080
   */
  readonly proxyPort?: number;
  /**
   * Port the server listens on (HTTP transports only).
   * @default - ToolHive's default, 8080
   */
  readonly mcpPort?: number;
  /**
   * Arguments appended to the image's entrypoint.
   * @default []
   */
  readonly args?: readonly string[];
  /**
   * Plain environment variables (no secrets here).
   * @default {}
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables from Secrets.
   * @default []
   */
  readonly secrets?: readonly McpSecretEnv[];
  /**
   * Builtin permission profile: `network` for servers that call the internet.
   * @default 'none'
   */
  readonly permissionProfile?: 'none' | 'network';
  /**
   * Resources of the MCP container.
   * @default - 50m / 64Mi requested, 256Mi memory limit
   */
  readonly resources?: ContainerResources;
  /**
   * Tool allow-list; rendered as an MCPToolConfig `<name>-tools` referenced by `toolConfigRef`.
   * @default - all tools
   */
  readonly tools?: readonly string[];
  /**
   * Non-root user the MCP container runs as.
   * @default 1000
   */
  readonly runAsUser?: number;
}

export interface ToKagentOptions {
  /**
   * RemoteMCPServer name.
   * @default - the MCPServer name
   */
  readonly name?: string;
  /**
   * Request timeout.
   * @default '30s'
   */
  readonly timeout?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function assertPort(scope: Construct, field: string, port: number | undefined): void {
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) {
    throw new Error(`${scope.node.path}: ${field} must be a port number 1-65535, got ${port}`);
  }
}

/**
 * A ToolHive `MCPServer` (toolhive.stacklok.dev/v1beta1). It knows its in-cluster endpoint, and
 * {@link McpServer.toKagent} registers it in kagent as a RemoteMCPServer with the matching protocol.
 */
export class McpServer extends Construct {
  public readonly name: string;
  public readonly namespace: string;
  public readonly transport: McpTransport;
  public readonly proxyMode: McpProxyMode;
  public readonly proxyPort: number;
  public readonly description: string;
  /** The allow-list, if any. */
  public readonly tools?: readonly string[];
  /** The builtin permission profile: `network` servers call the internet. */
  public readonly permissionProfile: 'none' | 'network';
  /** Labels ToolHive puts on the proxy runner pods (`labelsForMCPServer`), for network policies. */
  public readonly podLabels: Record<string, string>;
  public readonly resource: toolhive.McpServer;

  constructor(scope: Construct, id: string, props: McpServerProps) {
    super(scope, id);
    this.name = props.name;
    assertDnsLabel(this, 'name', this.name);
    this.namespace = namespaceName(props.namespace);
    assertPinnedImage(this, 'image', props.image);
    this.transport = props.transport ?? 'stdio';
    if (!['stdio', 'streamable-http', 'sse'].includes(this.transport)) {
      throw new Error(`${this.node.path}: transport "${this.transport}" is not one of stdio, streamable-http, sse`);
    }
    if (props.proxyMode && this.transport !== 'stdio') {
      throw new Error(`${this.node.path}: proxyMode only applies to transport "stdio"; remove it or set transport: "stdio"`);
    }
    if (props.mcpPort !== undefined && this.transport === 'stdio') {
      throw new Error(`${this.node.path}: mcpPort only applies to HTTP transports; a stdio server has no port`);
    }
    this.proxyMode = props.proxyMode ?? 'streamable-http';
    if (!['streamable-http', 'sse'].includes(this.proxyMode)) {
      throw new Error(`${this.node.path}: proxyMode "${this.proxyMode}" is not one of streamable-http, sse`);
    }
    this.proxyPort = props.proxyPort ?? 8080;
    assertPort(this, 'proxyPort', this.proxyPort);
    assertPort(this, 'mcpPort', props.mcpPort);
    if (!props.description?.trim()) throw new Error(`${this.node.path}: description is required; say what the tools do`);
    this.description = props.description;
    for (const name of Object.keys(props.env ?? {})) {
      if (!ENV_NAME.test(name)) throw new Error(`${this.node.path}: env name "${name}" is not a valid variable name`);
    }
    const secrets = props.secrets ?? [];
    secrets.forEach((secret, index) => {
      assertSecretRef(this, `secrets[${index}]`, secret);
      if (!ENV_NAME.test(secret.targetEnvName ?? '')) {
        throw new Error(`${this.node.path}: secrets[${index}].targetEnvName "${secret.targetEnvName}" is not a valid variable name`);
      }
      new RequiredSecret(this, `Secret${index}`, { namespace: this.namespace, ref: secret, purpose: secret.purpose ?? secret.targetEnvName });
    });
    const resources = props.resources ?? { cpuRequest: '50m', memoryRequest: '64Mi', memoryLimit: '256Mi' };
    assertResources(this, 'resources', resources);
    this.tools = props.tools ? [...props.tools] : undefined;
    if (this.tools && this.tools.length === 0) {
      throw new Error(`${this.node.path}: tools is an empty allow-list, which would hide every tool; omit it to allow all`);
    }
    this.podLabels = { 'app.kubernetes.io/name': 'mcpserver', 'app.kubernetes.io/instance': this.name };
    this.permissionProfile = props.permissionProfile ?? 'none';

    if (this.tools) {
      new toolhive.McpToolConfig(this, 'Tools', {
        metadata: { name: `${this.name}-tools`, namespace: this.namespace },
        spec: { toolsFilter: [...this.tools] },
      });
    }
    this.resource = new toolhive.McpServer(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        image: props.image,
        transport: this.transport as toolhive.McpServerSpecTransport,
        ...(this.transport === 'stdio' ? { proxyMode: this.proxyMode as toolhive.McpServerSpecProxyMode } : {}),
        proxyPort: this.proxyPort,
        mcpPort: props.mcpPort,
        args: props.args && props.args.length > 0 ? [...props.args] : undefined,
        env: Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
        secrets: secrets.map(({ name, key, targetEnvName }) => ({ name, key, targetEnvName })),
        permissionProfile: { type: toolhive.McpServerSpecPermissionProfileType.BUILTIN, name: this.permissionProfile },
        resources: toPlainResources(resources),
        toolConfigRef: this.tools ? { name: `${this.name}-tools` } : undefined,
        podTemplateSpec: this.podTemplate(props.runAsUser ?? 1000),
      },
    });
  }

  /** The proxy's in-cluster URL, e.g. `http://mcp-azure-devops-proxy.toolhive-system:8080/mcp`. */
  public get url(): string {
    return `http://mcp-${this.name}-proxy.${this.namespace}:${this.proxyPort}${this.protocol === 'SSE' ? '/sse' : '/mcp'}`;
  }

  /** The protocol clients speak to the proxy. */
  public get protocol(): McpProtocol {
    const exposed = this.transport === 'stdio' ? this.proxyMode : this.transport;
    return exposed === 'sse' ? 'SSE' : 'STREAMABLE_HTTP';
  }

  /**
   * Registers this server in kagent as a RemoteMCPServer in `scope` (the agents' chart). Idempotent per
   * scope: every agent that uses the server can call it and gets the same registration.
   */
  public toKagent(scope: Construct, options: ToKagentOptions = {}): RemoteMcpServer {
    const name = options.name ?? this.name;
    const timeout = options.timeout ?? '30s';
    const id = `${name}-mcp`;
    const existing = scope.node.tryFindChild(id);
    if (existing) {
      if (!RemoteMcpServer.isRemoteMcpServer(existing) || existing.url !== this.url || existing.timeout !== timeout) {
        throw new Error(`${scope.node.path}/${id}: already registers a different MCP server under "${name}"; pass toKagent(scope, { name }) with another name`);
      }
      return existing;
    }
    return new RemoteMcpServer(scope, id, {
      name,
      description: this.description,
      url: this.url,
      protocol: this.protocol,
      timeout,
      knownTools: this.knownTools,
      writeTools: this.writeTools,
    });
  }

  /** Tool names agents may select from this server: its allow-list, if it has one. */
  protected get knownTools(): readonly string[] | undefined {
    return this.tools;
  }

  /** Tools of this server that change something (none known for a generic server). */
  protected get writeTools(): readonly string[] | undefined {
    return undefined;
  }

  /** Restricted security for the `mcp` container, which ToolHive merges into the server pod. */
  private podTemplate(uid: number): unknown {
    // The restricted pod context without fsGroupChangePolicy, which the server pod has never had.
    const { fsGroupChangePolicy: _none, ...securityContext } = restrictedPodSecurityContext(uid);
    return {
      spec: {
        automountServiceAccountToken: false,
        securityContext,
        containers: [{ name: 'mcp', securityContext: restrictedContainerSecurityContext(false) }],
      },
    };
  }
}
