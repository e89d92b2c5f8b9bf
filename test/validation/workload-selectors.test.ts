import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/kube-object';
import { workloadSelectorViolations } from '../../src/validation/workload-selectors';
import { workloadTemplateViolations } from '../../src/validation/workload-templates';

function workload(apiVersion: string, kind: string, spec: Record<string, unknown>, name = 'w'): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'n' }, spec } as KubeObject;
}
const template = (labels: Record<string, string>, pod: Record<string, unknown> = {}) => ({
  metadata: { labels },
  spec: { containers: [{ name: 'c', image: 'i' }], ...pod },
});

describe('workload selectors', () => {
  it('accepts an apps workload that selects its own template', () => {
    for (const kind of ['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']) {
      expect(
        workloadSelectorViolations(workload('apps/v1', kind, { selector: { matchLabels: { app: 'a' } }, template: template({ app: 'a', extra: 'x' }) })),
      ).toEqual([]);
    }
  });

  it('rejects a missing, empty, invalid or mismatched selector', () => {
    const t = template({ app: 'a' });
    expect(workloadSelectorViolations(workload('apps/v1', 'Deployment', { template: t }))).toEqual([
      { path: '/spec/selector', message: 'required field is missing: set spec.selector.matchLabels to labels of the pod template ({"app":"a"})' },
    ]);
    expect(workloadSelectorViolations(workload('apps/v1', 'DaemonSet', { selector: { matchLabels: {} }, template: t }))[0].message).toMatch(
      /^an empty selector is invalid for a DaemonSet/,
    );
    expect(workloadSelectorViolations(workload('apps/v1', 'StatefulSet', { selector: { matchLabels: { 'a b': 'x' } }, template: t }))[0].path).toBe(
      '/spec/selector/matchLabels/a b',
    );
    expect(workloadSelectorViolations(workload('apps/v1', 'ReplicaSet', { selector: { matchLabels: { app: 'b' } }, template: t }))).toEqual([
      {
        path: '/spec/template/metadata/labels',
        message:
          'spec.selector {"matchLabels":{"app":"b"}} does not match the template\'s labels {"app":"a"}: the ReplicaSet would not own its own pods; give the template the selector\'s labels',
      },
    ]);
  });

  it('lets a Job generate its selector unless manualSelector is true', () => {
    const job = (spec: Record<string, unknown>, name?: string) =>
      workload('batch/v1', 'Job', { template: template({ app: 'a' }, { restartPolicy: 'Never' }), ...spec }, name);
    expect(workloadSelectorViolations(job({}))).toEqual([]);
    expect(workloadSelectorViolations(job({ selector: { matchLabels: { app: 'a' } } }))[0].message).toMatch(/^the API server generates a Job's selector/);
    expect(workloadSelectorViolations(job({ manualSelector: true, selector: { matchLabels: { app: 'a' } } }))).toEqual([]);
    expect(workloadSelectorViolations(job({ manualSelector: true }))[0].path).toBe('/spec/selector');
    expect(workloadSelectorViolations(job({}, 'j'.repeat(64)))[0].path).toBe('/metadata/name');
    // With a manual selector the name labels nothing.
    expect(workloadSelectorViolations(job({ manualSelector: true, selector: { matchLabels: { app: 'a' } } }, 'j'.repeat(64)))).toEqual([]);
  });

  it('ignores other kinds', () => {
    expect(workloadSelectorViolations(workload('v1', 'Service', { selector: {} }))).toEqual([]);
  });
});

describe('workload templates', () => {
  it('requires restartPolicy Always for long-running workloads and no activeDeadlineSeconds', () => {
    expect(workloadTemplateViolations(workload('apps/v1', 'Deployment', { template: template({}) }))).toEqual([]);
    expect(
      workloadTemplateViolations(workload('apps/v1', 'StatefulSet', { template: template({}, { restartPolicy: 'OnFailure', activeDeadlineSeconds: 60 }) })),
    ).toEqual([
      {
        path: '/spec/template/spec/restartPolicy',
        message: 'a StatefulSet only supports restartPolicy "Always": remove restartPolicy (it defaults to Always)',
      },
      { path: '/spec/template/spec/activeDeadlineSeconds', message: 'activeDeadlineSeconds is not supported in a StatefulSet: remove it' },
    ]);
    // An unknown value is the enum rule's to report.
    expect(workloadTemplateViolations(workload('apps/v1', 'Deployment', { template: template({}, { restartPolicy: 'Sometimes' }) }))).toEqual([]);
  });

  it('requires OnFailure or Never for a Job, and Never with a podFailurePolicy', () => {
    const job = (pod: Record<string, unknown>, spec: Record<string, unknown> = {}) =>
      workloadTemplateViolations(workload('batch/v1', 'Job', { template: template({}, pod), ...spec }));
    expect(job({ restartPolicy: 'OnFailure' })).toEqual([]);
    expect(job({})[0].message).toMatch(/^a Job's pods must set restartPolicy "OnFailure" or "Never"/);
    expect(job({ restartPolicy: 'Always' })).toHaveLength(1);
    expect(job({ restartPolicy: 'OnFailure' }, { podFailurePolicy: { rules: [] } })).toEqual([
      { path: '/spec/template/spec/restartPolicy', message: 'a Job with a podFailurePolicy only supports restartPolicy "Never"' },
    ]);
  });
});
