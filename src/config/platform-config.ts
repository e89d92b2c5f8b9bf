import * as z from 'zod';
import { isPinnedImage } from '../util/image';
import { isDnsLabel } from '../util/names';
import { SUPPORTED_KAGENT_VERSIONS } from '../agents/kagent-versions';
import { VERSIONS } from './versions';

const dnsLabel = z.string().refine(isDnsLabel, { message: 'must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters' });
const pinnedImage = z.string().refine(isPinnedImage, { message: 'must be pinned to an exact tag or digest (not "latest", not untagged)' });
const exactVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be an exact version such as "0.44.0" (no ranges, no "latest")');
const secretRef = z
  .object({ name: dnsLabel, key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")') }, {
    error: (issue) => (issue.input === undefined ? 'is required: name the Secret and key that hold the value, e.g. { name: "my-secret", key: "token" }' : undefined),
  })
  .strict();
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL such as "http://grafana.monitoring:3000"');
const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as "100Gi"');
const positiveInt = z.number().int('must be a whole number').min(1, 'must be at least 1');
const port = z.number().int().min(1).max(65535);
const storageClassName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a StorageClass name such as "local-path"');

/** An Ollama, OpenAI or Anthropic model the agents use; the key is how agents refer to it. */
const modelSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('ollama'), model: z.string().min(1), options: z.record(z.string(), z.string()).optional() }).strict(),
  z.object({ provider: z.literal('openai'), model: z.string().min(1), apiKeySecret: secretRef, baseUrl: httpUrl.optional() }).strict(),
  z.object({ provider: z.literal('anthropic'), model: z.string().min(1), apiKeySecret: secretRef, maxTokens: positiveInt.optional() }).strict(),
]);

/** An MCP server by name, or a selection of its tools. */
const toolSchema = z.union([
  z.string().min(1),
  z.object({ server: z.string().min(1), toolNames: z.array(z.string()).optional(), requireApproval: z.array(z.string()).optional() }).strict(),
]);

const agentSchema = z
  .object({
    name: dnsLabel,
    description: z.string().min(1, 'say what the agent does; orchestrators route on it'),
    /** A prompt file (relative to `promptDir`), or `{ inline }`. Orchestrators may omit it: it is generated. */
    prompt: z.union([z.string().regex(/\.(md|txt)$/, 'must be a .md or .txt file'), z.object({ inline: z.string().min(1) }).strict()]).optional(),
    model: z.string().min(1),
    tools: z.array(toolSchema).default([]),
    delegates: z.array(dnsLabel).default([]),
    /** Namespaces whose agents may delegate to this one. */
    allowedNamespaces: z.array(dnsLabel).optional(),
    /** Offered in Open WebUI (bridge, Pipe). */
    expose: z.boolean().default(true),
  })
  .strict()
  .refine((agent) => agent.prompt !== undefined || agent.delegates.length > 0, { message: 'needs a prompt (a file or { inline }) unless it delegates (an orchestrator)' });

/** The whole platform's settings, validated up front so a bad value fails with its field path. */
export const PlatformConfigSchema = z
  .object({
    gitops: z
      .object({
        repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'must be an https://, ssh:// or git@ Git URL'),
        targetRevision: z.string().min(1),
        basePath: z.string().min(1).default('dist'),
        argocdNamespace: dnsLabel.default('argocd'),
        /** Name of the root Application and of the AppProject. */
        name: dnsLabel.default('agent-platform'),
      })
      .strict(),
    versions: z
      .object({
        kagent: z.enum(SUPPORTED_KAGENT_VERSIONS, { error: () => `must be a supported kagent version: ${SUPPORTED_KAGENT_VERSIONS.join(', ')}` }).default(VERSIONS.kagent),
        toolhive: exactVersion.default(VERSIONS.toolhive),
        images: z
          .object({
            ollama: pinnedImage.default(VERSIONS.images.ollama),
            openWebUi: pinnedImage.default(VERSIONS.images.openWebUi),
            node: pinnedImage.default(VERSIONS.images.node),
            searxng: pinnedImage.default(VERSIONS.images.searxng),
            mcpSearxng: pinnedImage.default(VERSIONS.images.mcpSearxng),
            mcpGrafana: pinnedImage.default(VERSIONS.images.mcpGrafana),
            mcpAzureDevOps: pinnedImage.default(VERSIONS.images.mcpAzureDevOps),
            postgres: pinnedImage.default(VERSIONS.images.postgres),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    namespaces: z
      .object({
        kagent: dnsLabel.default('kagent'),
        ollama: dnsLabel.default('ollama'),
        toolhive: dnsLabel.default('toolhive-system'),
        searxng: dnsLabel.default('searxng'),
        openWebUi: dnsLabel.default('open-webui'),
      })
      .strict()
      .prefault({})
      .refine((ns) => new Set(Object.values(ns)).size === Object.values(ns).length, { message: 'every component needs its own namespace' }),
    /** StorageClass of every PersistentVolumeClaim (Talos ships none as default). */
    storageClassName: storageClassName.optional(),
    /** Folder prompt files are read from, relative to the working directory. */
    promptDir: z.string().default('.'),
    ollama: z
      .object({
        numParallel: positiveInt.default(4),
        maxLoadedModels: positiveInt.optional(),
        maxQueue: positiveInt.optional(),
        keepAlive: z.string().regex(/^-?(\d+(\.\d+)?(ns|us|ms|s|m|h))+$|^-?\d+$/, 'must be a duration such as "30m" or "-1"').optional(),
        contextLength: z.number().int().min(256).optional(),
        flashAttention: z.boolean().optional(),
        storageSize: quantity.default('100Gi'),
        gpuCount: z.number().int().min(1).optional(),
        signinKeySecret: secretRef.optional(),
        /** Models to pull besides those the model configs use. */
        extraModels: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .optional(),
    models: z.record(dnsLabel, modelSchema).refine((models) => Object.keys(models).length > 0, { message: 'declare at least one model' }),
    kagent: z
      .object({
        builtInAgents: z.array(z.string()).default([]),
        a2aBaseUrl: httpUrl.optional(),
        /** How long a UI/agent stream may run (0.7: the controller's A2A streaming timeout; 0.9: the UI's). */
        streamingTimeout: z.string().regex(/^\d+(s|m|h)$/, 'must be a duration such as "600s"').optional(),
        /** kagent's built-in Kubernetes tools: read-only RBAC unless explicitly given cluster-admin. */
        toolServer: z.enum(['read-only', 'cluster-admin', 'off']).default('read-only'),
        grafanaMcp: z.boolean().default(false),
        querydoc: z.boolean().default(false),
        /** Options of kagent's default ModelConfig, as a whole (Helm would merge the chart's `num_ctx` otherwise). */
        defaultModelOptions: z.record(z.string(), z.string()).refine((o) => 'num_ctx' in o, { message: 'must set num_ctx' }).optional(),
        /**
         * Session storage: `owned-postgres` (default) runs a Postgres for kagent with credentials from a Secret;
         * `postgres` uses an external database by URL Secret; `sqlite` (0.7.23 only) loses sessions on restart.
         */
        database: z
          .discriminatedUnion('type', [
            z.object({ type: z.literal('sqlite') }).strict(),
            z.object({ type: z.literal('postgres'), urlSecret: secretRef, vectorEnabled: z.boolean().optional() }).strict(),
            z.object({
              type: z.literal('owned-postgres'), storageSize: quantity.optional(), passwordSecret: secretRef.optional(), urlSecret: secretRef.optional(),
            }).strict(),
          ])
          .default({ type: 'owned-postgres' }),
        /** Register kagent's built-in Kubernetes tools as the MCP server `kagent-k8s-tools`. */
        tools: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    /** The ToolHive operator; on when any ToolHive MCP server is configured. */
    toolhive: z.object({}).strict().optional(),
    azureDevOps: z
      .object({
        organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-_.]*$/, 'must be the bare organization name, not a URL'),
        patSecret: secretRef,
        domains: z.array(z.string()).optional(),
        tools: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    grafana: z
      .object({
        url: httpUrl,
        tokenSecret: secretRef,
        /** Port of Grafana's pods (network policies match pod ports): 3000 unless the install changed it. */
        podPort: port.optional(),
        /** Grafana's namespace, if the URL's host does not say it (`grafana.<namespace>…`). */
        namespace: dnsLabel.optional(),
      })
      .strict()
      .optional(),
    /** The CNI and how pods reach the Kubernetes API server (network policies need an enforcing CNI). */
    network: z
      .discriminatedUnion('cni', [
        z.object({ cni: z.literal('cilium'), apiServerPort: port.default(6443) }).strict(),
        z.object({ cni: z.literal('other'), apiServerCidrs: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be a CIDR such as "192.168.1.10/32"')).min(1), apiServerPort: port.default(6443) }).strict(),
      ])
      .default({ cni: 'cilium', apiServerPort: 6443 }),
    searxng: z.object({ secretKeySecret: secretRef }).strict().optional(),
    /** MCP servers that run elsewhere, registered in kagent as they are. */
    remoteMcpServers: z
      .array(z.object({ name: dnsLabel, url: httpUrl, description: z.string().min(1), protocol: z.enum(['STREAMABLE_HTTP', 'SSE']).optional() }).strict())
      .default([]),
    agents: z.array(agentSchema).default([]),
    openWebUi: z
      .object({
        secretKeySecret: secretRef,
        storageSize: quantity.default('10Gi'),
        host: z.string().regex(/^[a-z0-9.-]+$/, 'must be a host name such as "chat.lab.example"').optional(),
        ingressClassName: z.string().optional(),
        /** The OpenAI-compatible A2A bridge (an OpenAI connection in Open WebUI). */
        bridge: z.boolean().default(true),
        /** The generated Pipe function; `register` installs it through Open WebUI's API on every sync. */
        pipe: z.object({ register: z.object({ adminApiKeySecret: secretRef }).strict().optional() }).strict().optional(),
        /** A small Ollama model for titles, tags and follow-ups, so no background task reaches an agent. */
        taskModel: z.string().min(1).optional(),
        /** kagent's controller `/mcp` as an MCP tool server in Open WebUI (the seed's shortcut). */
        kagentMcp: z
          .object({
            groupIds: z.array(z.string().min(1)).optional(),
            tools: z.array(z.enum(['list_agents', 'invoke_agent'])).min(1).optional(),
            sync: z.object({ adminApiKeySecret: secretRef }).strict().optional(),
          })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

/** Input shape (defaults optional). */
export type PlatformConfigInput = z.input<typeof PlatformConfigSchema>;
/** Validated shape (defaults applied). */
export type PlatformConfig = z.output<typeof PlatformConfigSchema>;
/** One agent of the config. */
export type AgentConfig = PlatformConfig['agents'][number];
/** One model of the config. */
export type ModelConfigInput = PlatformConfig['models'][string];

/** Validates a config; the error lists every problem as `<field path>: <message>`. */
export function parsePlatformConfig(input: unknown, where = 'config'): PlatformConfig {
  const result = PlatformConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${[where, ...issue.path].join('.')}: ${issue.message}`);
  throw new Error(`invalid platform config:\n${problems.join('\n')}`);
}
