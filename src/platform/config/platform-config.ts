import type * as z from 'zod';
import type { AgentConfigInput, ModelConfigInput, PlatformConfigInput } from './platform-config-input';
import { platformConfigSchema } from './platform-config-schema';
import type { SameShape } from './same-shape';

export type * from './platform-config-input';

// Compile-time: the documented input type and the schema accept the same fields, each as optional and of the
// same type. If this fails, make platform-config-input.ts and platform-config-schema.ts agree again.
true satisfies SameShape<z.input<typeof platformConfigSchema>, PlatformConfigInput>;

/** The validated config: {@link PlatformConfigInput} with every default applied. */
export type PlatformConfig = z.output<typeof platformConfigSchema>;
/** One agent of the validated config (defaults applied). */
export type AgentConfig = PlatformConfig['agents'][number];

// The documented entries are the schema's too (models have no defaults: input and output agree).
true satisfies SameShape<PlatformConfig['models'][string], ModelConfigInput>;
true satisfies SameShape<z.input<typeof platformConfigSchema>['agents'], readonly AgentConfigInput[] | undefined>;

/** The zod schema that validates the config and applies its defaults (each field is documented on {@link PlatformConfigInput}). */
export const PlatformConfigSchema: z.ZodType<PlatformConfig, PlatformConfigInput> = platformConfigSchema;

/**
 * Validates a config; the error lists every problem as `<where>.<field path>: <message>`, with the value
 * given when it is a single one.
 */
export function parsePlatformConfig(input: unknown, where = 'config'): PlatformConfig {
  const result = PlatformConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${[where, ...issue.path].join('.')}: ${issue.message}${givenValue(issue.input)}`);
  throw new Error(`invalid platform config:\n${problems.join('\n')}`);
}

/** `; got "x"` for a bad single value (long ones cut), nothing for a missing value or a whole object. */
function givenValue(input: unknown): string {
  if (typeof input === 'string') return `; got ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input)}`;
  if (typeof input === 'number' || typeof input === 'boolean') return `; got ${input}`;
  return '';
}
