import { TalosNamespace } from './talos-namespace';

/**
 * Where a construct runs: a {@link TalosNamespace} created in this app, or the name of a namespace that
 * already exists (created by hand, by another app, or by the cluster's bootstrap).
 */
export type NamespaceInput = TalosNamespace | string;

/** The namespace's name, whichever form it was given in. */
export function namespaceName(namespace: NamespaceInput): string {
  return typeof namespace === 'string' ? namespace : namespace.name;
}
