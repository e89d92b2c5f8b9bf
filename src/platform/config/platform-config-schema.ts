/**
 * The zod schema of the platform config, with its rules and defaults. Internal: the package exports it as
 * `PlatformConfigSchema`, typed by the documented `PlatformConfigInput`, so the docs show that instead of zod's types.
 */
import * as z from 'zod';
import { isPinnedImage } from '../../core/image';
import { isDnsLabel, suggestName } from '../../core/names';
import { SUPPORTED_KAGENT_VERSIONS } from '../../core/kagent-versions';
import { ollamaModelNameProblem } from '../../models/ollama';
import { VERSIONS } from '../../core/versions';
import { DEFAULT_BRIDGE_API_KEYS_SECRET, DEFAULT_OPEN_WEBUI_KEY } from '../../chat/bridge-api-keys';
import { DEFAULT_SERVICE_USER_ID, USER_ID_SOURCES, serviceUserIdProblem } from '../../core/user-identity';
import { isQuantity } from '../../core/quantity';
import { chatAccessProblems, OPEN_WEBUI_ROLES } from '../../core/chat-access';
import { isKeepAlive, wholeDurationSeconds } from '../../core/duration';

const dnsLabel = z.string().refine(isDnsLabel, {
  error: (issue) => `must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters (e.g. "${suggestName(String(issue.input))}")`,
});
const pinnedImage = z.string().refine(isPinnedImage, { message: 'must be pinned to an exact tag or digest (not "latest", not untagged)' });
const exactVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be an exact version such as "0.44.0" (no ranges, no "latest")');
const secretRef = z
  .object(
    { name: dnsLabel, key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")') },
    {
      error: (issue) =>
        issue.input === undefined ? 'is required: name the Secret and key that hold the value, e.g. { name: "my-secret", key: "token" }' : undefined,
    },
  )
  .strict();
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL such as "http://grafana.monitoring:3000"');
const quantity = z.string().refine(isQuantity, 'must be a Kubernetes quantity such as "100Gi"');
const positiveInt = z.number().int('must be a whole number').min(1, 'must be at least 1');
const port = z.number().int().min(1).max(65535);
const ollamaModelName = z.string().superRefine((name, ctx) => {
  const problem = ollamaModelNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const serviceUserId = z.string().superRefine((id, ctx) => {
  const problem = serviceUserIdProblem(id);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});
const storageClassName = z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a StorageClass name such as "local-path"');

const modelSchema = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('ollama'), model: ollamaModelName, options: z.record(z.string(), z.string()).optional() }).strict(),
  z.object({ provider: z.literal('openai'), model: z.string().min(1), apiKeySecret: secretRef, baseUrl: httpUrl.optional() }).strict(),
  z.object({ provider: z.literal('anthropic'), model: z.string().min(1), apiKeySecret: secretRef, maxTokens: positiveInt.optional() }).strict(),
]);

const toolSchema = z.union([
  z.string().min(1),
  z.object({ server: z.string().min(1), toolNames: z.array(z.string()).optional(), requireApproval: z.array(z.string()).optional() }).strict(),
]);

const chatAccess = z
  .object({ groups: z.array(z.string()).optional(), users: z.array(z.string()).optional(), roles: z.array(z.enum(OPEN_WEBUI_ROLES)).optional() })
  .strict()
  .superRefine((access, ctx) => {
    for (const problem of chatAccessProblems(access)) ctx.addIssue({ code: 'custom', message: problem });
  });

const agentSchema = z
  .object({
    name: dnsLabel,
    description: z.string().min(1, 'say what the agent does; orchestrators route on it'),
    prompt: z.union([z.string().regex(/\.(md|txt)$/, 'must be a .md or .txt file'), z.object({ inline: z.string().min(1) }).strict()]).optional(),
    model: z.string().min(1),
    tools: z.array(toolSchema).default([]),
    delegates: z.array(dnsLabel).default([]),
    allowedNamespaces: z.array(dnsLabel).optional(),
    expose: z.boolean().default(true),
    access: chatAccess.optional(),
  })
  .strict()
  .refine((agent) => agent.prompt !== undefined || agent.delegates.length > 0, {
    message: 'needs a prompt (a file or { inline }) unless it delegates (an orchestrator)',
  });

/**
 * The validator of the platform config (each field is documented on `PlatformConfigInput`): a bad value fails
 * up front with its field path. Defaults live here; the documented `@default`s are checked against them by a test.
 */
export const platformConfigSchema = z
  .object({
    gitops: z
      .object({
        repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'must be an https://, ssh:// or git@ Git URL'),
        targetRevision: z.string().min(1),
        basePath: z.string().min(1).default('dist'),
        argocdNamespace: dnsLabel.default('argocd'),
        name: dnsLabel.default('agent-platform'),
      })
      .strict(),
    versions: z
      .object({
        kagent: z
          .enum(SUPPORTED_KAGENT_VERSIONS, { error: () => `must be a supported kagent version: ${SUPPORTED_KAGENT_VERSIONS.join(', ')}` })
          .default(VERSIONS.kagent),
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
    storageClassName: storageClassName.optional(),
    promptDir: z.string().default('.'),
    ollama: z
      .object({
        numParallel: positiveInt.default(4),
        maxLoadedModels: positiveInt.optional(),
        maxQueue: positiveInt.optional(),
        keepAlive: z.string().refine(isKeepAlive, 'must be a duration such as "30m" or "-1"').optional(),
        contextLength: z.number().int().min(256).optional(),
        flashAttention: z.boolean().optional(),
        storageSize: quantity.default('100Gi'),
        gpuCount: z.number().int().min(1).optional(),
        signinKeySecret: secretRef.optional(),
        extraModels: z.array(ollamaModelName).default([]),
      })
      .strict()
      .optional(),
    models: z.record(dnsLabel, modelSchema).refine((models) => Object.keys(models).length > 0, { message: 'declare at least one model' }),
    kagent: z
      .object({
        builtInAgents: z.array(z.string()).default([]),
        a2aBaseUrl: httpUrl.optional(),
        streamingTimeout: z
          .string()
          .refine((value) => wholeDurationSeconds(value) !== undefined, 'must be a duration such as "600s"')
          .optional(),
        toolServer: z.enum(['read-only', 'cluster-admin', 'off']).default('read-only'),
        grafanaMcp: z.boolean().default(false),
        querydoc: z.boolean().default(false),
        defaultModelOptions: z
          .record(z.string(), z.string())
          .refine((o) => 'num_ctx' in o, { message: 'must set num_ctx' })
          .optional(),
        database: z
          .discriminatedUnion('type', [
            z.object({ type: z.literal('sqlite') }).strict(),
            z.object({ type: z.literal('postgres'), urlSecret: secretRef, vectorEnabled: z.boolean().optional() }).strict(),
            z
              .object({
                type: z.literal('owned-postgres'),
                storageSize: quantity.optional(),
                passwordSecret: secretRef.optional(),
                urlSecret: secretRef.optional(),
              })
              .strict(),
          ])
          .default({ type: 'owned-postgres' }),
        tools: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
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
        podPort: port.optional(),
        namespace: dnsLabel.optional(),
      })
      .strict()
      .optional(),
    network: z
      .discriminatedUnion('cni', [
        z.object({ cni: z.literal('cilium'), apiServerPort: port.default(6443) }).strict(),
        z
          .object({
            cni: z.literal('other'),
            apiServerCidrs: z.array(z.string().regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, 'must be a CIDR such as "192.168.1.10/32"')).min(1),
            apiServerPort: port.default(6443),
          })
          .strict(),
      ])
      .default({ cni: 'cilium', apiServerPort: 6443 }),
    searxng: z.object({ secretKeySecret: secretRef }).strict().optional(),
    remoteMcpServers: z
      .array(z.object({ name: dnsLabel, url: httpUrl, description: z.string().min(1), protocol: z.enum(['STREAMABLE_HTTP', 'SSE']).optional() }).strict())
      .default([]),
    agents: z.array(agentSchema).default([]),
    openWebUi: z
      .object({
        secretKeySecret: secretRef,
        storageSize: quantity.default('10Gi'),
        host: z
          .string()
          .regex(/^[a-z0-9.-]+$/, 'must be a host name such as "chat.lab.example"')
          .optional(),
        ingressClassName: z.string().optional(),
        bridge: z.boolean().default(true),
        pipe: z
          .object({ register: z.object({ adminApiKeySecret: secretRef }).strict().optional() })
          .strict()
          .optional(),
        taskModel: ollamaModelName.optional(),
        kagentMcp: z
          .object({
            groupIds: z.array(z.string().min(1)).optional(),
            tools: z
              .array(z.enum(['list_agents', 'invoke_agent']))
              .min(1)
              .optional(),
            sync: z.object({ adminApiKeySecret: secretRef }).strict().optional(),
          })
          .strict()
          .optional(),
        bridgeApiKeys: z
          .object({
            secret: secretRef.default(() => ({ ...DEFAULT_BRIDGE_API_KEYS_SECRET })),
            openWebUiKey: secretRef.shape.key.default(DEFAULT_OPEN_WEBUI_KEY),
          })
          .strict()
          .prefault({}),
        identity: z
          .object({ userIdFrom: z.enum(USER_ID_SOURCES).default('email'), serviceUserId: serviceUserId.default(DEFAULT_SERVICE_USER_ID) })
          .strict()
          .prefault({}),
        access: z.object({ adminApiKeySecret: secretRef }).strict().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
