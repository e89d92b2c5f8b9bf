import { Construct } from 'constructs';
import { ExtraFile } from '../core/extra-file';
import { NamespaceFirewall } from '../namespaces/namespace-firewall';
import { TalosNamespace } from '../namespaces/talos-namespace';
import { compareNames } from '../core/names';

/** Writes `dist/SECURITY.md`: each namespace's Pod Security level and reason, and every allowed network path. */
export class SecurityReport extends Construct {
  constructor(scope: Construct, id: string, props: SecurityReportProps = {}) {
    super(scope, id);
    new ExtraFile(this, 'File', { path: props.path ?? 'SECURITY.md', content: () => renderSecurityReport(scope) });
  }
}

export interface SecurityReportProps {
  /**
   * Path inside `dist/`.
   * @default 'SECURITY.md'
   */
  readonly path?: string;
}

/** The Markdown tables, from the namespaces and firewalls under `scope` (the construct the report is added to). */
export function renderSecurityReport(scope: Construct): string {
  const all = scope.node.findAll();
  const namespaces = all.filter(TalosNamespace.isTalosNamespace).sort((a, b) => compareNames(a.name, b.name));
  const firewalls = all.filter(NamespaceFirewall.isNamespaceFirewall).sort((a, b) => compareNames(a.namespace, b.namespace));
  const lines = [
    '## Pod Security by namespace',
    '',
    '| namespace | enforce | audit / warn | why |',
    '| --- | --- | --- | --- |',
    ...namespaces.map(
      (n) =>
        `| ${n.name} | ${n.podSecurity} | restricted | ${n.podSecurityReason ?? 'every pod runs non-root, without privilege escalation, with all capabilities dropped and RuntimeDefault seccomp'} |`,
    ),
    '',
    '## Allowed network paths',
    '',
    'Every namespace below denies all ingress and egress by default and allows DNS to kube-system; these are the only other paths.',
    '',
    '| namespace | direction | peer | TCP ports | why |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const fw of firewalls) {
    for (const rule of fw.rules) lines.push(`| ${fw.namespace} | ${rule.direction} | ${rule.peer} | ${rule.ports.join(', ')} | ${rule.reason} |`);
  }
  return `${lines.join('\n')}\n`;
}
