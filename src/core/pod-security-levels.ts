/** Pod Security Standard levels, strictest first. */
export const POD_SECURITY_LEVELS = ['restricted', 'baseline', 'privileged'] as const;

/** A Pod Security Standard level. */
export type PodSecurityLevel = (typeof POD_SECURITY_LEVELS)[number];

/** Talos enforces `baseline` cluster-wide; this platform defaults to `restricted`. */
export const DEFAULT_POD_SECURITY: PodSecurityLevel = 'restricted';
