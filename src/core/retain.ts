/**
 * Annotations that keep an object when Argo CD prunes or deletes its Application: for namespaces and
 * PersistentVolumeClaims, whose loss would take models, chat history and sessions with them.
 */
export const RETAIN_ON_DELETE: Readonly<Record<string, string>> = { 'argocd.argoproj.io/sync-options': 'Delete=false,Prune=false' };
