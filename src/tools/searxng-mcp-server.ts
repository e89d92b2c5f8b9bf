import type { Construct } from 'constructs';
import { VERSIONS } from '../core/versions';
import type { NamespaceInput } from '../namespaces/namespace-input';
import { McpServer } from './mcp-server';
import type { Searxng } from './searxng';

export interface SearxngMcpServerProps {
  /** Namespace of the MCP server. */
  readonly namespace: NamespaceInput;
  /** The SearXNG instance to search through. */
  readonly searxng: Searxng;
  /**
   * Image.
   * @default VERSIONS.images.mcpSearxng
   */
  readonly image?: string;
}

/** `mcp-searxng` over stdio, pointed at a {@link Searxng} instance. */
export class SearxngMcpServer extends McpServer {
  constructor(scope: Construct, id: string, props: SearxngMcpServerProps) {
    super(scope, id, {
      name: 'searxng',
      namespace: props.namespace,
      image: props.image ?? VERSIONS.images.mcpSearxng,
      description: 'Web search through the private SearXNG instance, and reading web pages',
      transport: 'stdio',
      env: { SEARXNG_URL: props.searxng.url },
      permissionProfile: 'network',
      tools: ['searxng_web_search', 'web_url_read'],
    });
  }
}
