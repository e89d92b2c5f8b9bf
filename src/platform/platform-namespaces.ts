import type { Construct } from 'constructs';
import type { PlatformConfig } from './config/platform-config';
import { TalosNamespace } from '../namespaces/talos-namespace';

/** The namespaces of the components a config turns on; kagent's always exists. */
export interface PlatformNamespaces {
  readonly kagent: TalosNamespace;
  readonly ollama?: TalosNamespace;
  readonly toolhive?: TalosNamespace;
  readonly searxng?: TalosNamespace;
  readonly openWebUi?: TalosNamespace;
}

/** True if the config runs anything through the ToolHive operator. */
export function usesToolHive(config: PlatformConfig): boolean {
  return Boolean(config.toolhive || config.azureDevOps || config.grafana || config.searxng);
}

/** Restricted unless a workload needs less, with the reason on record next to the level. */
export function createNamespaces(scope: Construct, config: PlatformConfig): PlatformNamespaces {
  const names = config.namespaces;
  return {
    kagent: new TalosNamespace(
      scope,
      'kagent',
      config.versions.kagent === '0.7.23'
        ? {
            name: names.kagent,
            podSecurity: 'baseline',
            podSecurityReason: 'kagent 0.7.23 chart pods (UI, kmcp) do not all set runAsNonRoot; agent pods, the controller and the tools are restricted',
          }
        : { name: names.kagent },
    ),
    ollama: config.ollama ? new TalosNamespace(scope, 'ollama', { name: names.ollama }) : undefined,
    toolhive: usesToolHive(config)
      ? new TalosNamespace(scope, 'toolhive', {
          name: names.toolhive,
          podSecurity: 'baseline',
          podSecurityReason: 'the ToolHive operator creates proxy-runner pods whose security context it controls, not this repository',
        })
      : undefined,
    searxng: config.searxng ? new TalosNamespace(scope, 'searxng', { name: names.searxng }) : undefined,
    openWebUi: config.openWebUi
      ? new TalosNamespace(scope, 'open-webui', {
          name: names.openWebUi,
          podSecurity: 'baseline',
          podSecurityReason: 'the Open WebUI image runs as root (upstream: non-root untested); it still drops all capabilities',
        })
      : undefined,
  };
}
