import { z } from 'zod';
import { isPinnedImage } from '../util/image';
import { isDnsLabel } from '../util/names';

const dnsLabel = z.string().refine(isDnsLabel, { message: 'must be a DNS-1123 label: lowercase letters, digits and "-", at most 63 characters' });
const pinnedImage = z.string().refine(isPinnedImage, { message: 'must be pinned to an exact tag or digest (not "latest", not untagged)' });
const exactVersion = z.string().regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'must be an exact version such as "0.7.23" (no ranges, no "latest")');
const secretRef = z
  .object({ name: dnsLabel, key: z.string().regex(/^[-._a-zA-Z0-9]+$/, 'must be a Secret key (letters, digits, "-", "_", ".")') }, {
    error: (issue) => (issue.input === undefined ? 'is required: name the Secret and key that hold the value, e.g. { name: "my-secret", key: "token" }' : undefined),
  })
  .strict();
const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/, 'must be an http(s) URL such as "http://grafana.monitoring:3000"');
const quantity = z.string().regex(/^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti)?$/, 'must be a Kubernetes quantity such as "100Gi"');
const positiveInt = z.number().int('must be a whole number').min(1, 'must be at least 1');

/** The whole platform's settings, validated up front so a bad value fails with its field path. */
export const PlatformConfigSchema = z
  .object({
    gitops: z
      .object({
        repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)\S+$/, 'must be an https://, ssh:// or git@ Git URL'),
        targetRevision: z.string().min(1),
        basePath: z.string().min(1).default('dist'),
        argocdNamespace: dnsLabel.default('argocd'),
      })
      .strict(),
    versions: z
      .object({
        kagent: exactVersion,
        toolhive: exactVersion,
        images: z
          .object({
            ollama: pinnedImage,
            openWebUi: pinnedImage,
            node: pinnedImage,
            searxng: pinnedImage,
            mcpSearxng: pinnedImage,
            mcpGrafana: pinnedImage,
            mcpAzureDevOps: pinnedImage,
          })
          .strict(),
      })
      .strict(),
    namespaces: z
      .object({ kagent: dnsLabel, ollama: dnsLabel, toolhive: dnsLabel, searxng: dnsLabel, openWebUi: dnsLabel })
      .strict()
      .refine((ns) => new Set(Object.values(ns)).size === Object.values(ns).length, { message: 'every component needs its own namespace' }),
    ollama: z
      .object({
        numParallel: positiveInt.default(4),
        maxLoadedModels: positiveInt.optional(),
        maxQueue: positiveInt.optional(),
        keepAlive: z.string().regex(/^-?(\d+(\.\d+)?(ns|us|ms|s|m|h))+$|^-?\d+$/, 'must be a duration such as "30m" or "-1"').optional(),
        contextLength: z.number().int().min(256).optional(),
        flashAttention: z.boolean().optional(),
        storageSize: quantity.default('100Gi'),
        storageClassName: z.string().optional(),
        gpuCount: z.number().int().min(1).optional(),
        signinKeySecret: secretRef.optional(),
      })
      .strict(),
    kagent: z
      .object({
        builtInAgents: z.array(z.string()).default([]),
        a2aBaseUrl: httpUrl.optional(),
        streamingTimeout: z.string().regex(/^\d+(s|m|h)$/).default('600s'),
        database: z.discriminatedUnion('type', [
          z.object({ type: z.literal('sqlite') }).strict(),
          z.object({ type: z.literal('postgres'), urlSecret: secretRef }).strict(),
        ]),
      })
      .strict(),
    azureDevOps: z
      .object({
        organization: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-_.]*$/, 'must be the bare organization name, not a URL'),
        patSecret: secretRef,
        domains: z.array(z.string()).optional(),
      })
      .strict(),
    grafana: z.object({ url: httpUrl, tokenSecret: secretRef }).strict(),
    searxng: z.object({ secretKeySecret: secretRef }).strict(),
    openWebUi: z
      .object({
        secretKeySecret: secretRef,
        storageSize: quantity.default('10Gi'),
        host: z.string().regex(/^[a-z0-9.-]+$/, 'must be a host name such as "chat.lab.example"').optional(),
        ingressClassName: z.string().optional(),
        registerPipe: z.object({ adminApiKeySecret: secretRef }).strict().optional(),
      })
      .strict(),
  })
  .strict();

/** Input shape (defaults optional). */
export type PlatformConfigInput = z.input<typeof PlatformConfigSchema>;
/** Validated shape (defaults applied). */
export type PlatformConfig = z.output<typeof PlatformConfigSchema>;

/** Validates a config; the error lists every problem as `<field path>: <message>`. */
export function parsePlatformConfig(input: unknown): PlatformConfig {
  const result = PlatformConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${['config', ...issue.path].join('.')}: ${issue.message}`);
  throw new Error(`invalid platform config:\n${problems.join('\n')}`);
}
