/**
 * Services as the API server validates them (pkg/apis/core/validation validateService, validateServicePort) and
 * allocates their node ports: ports unless headless or ExternalName, unique RFC 1123 port names (required once
 * there are several), port numbers, named targetPorts in IANA_SVC_NAME form, unique protocol/port pairs, node
 * ports only where a node port exists and inside the default --service-node-port-range.
 */
import type { RuleViolation } from './cel-rules';
import { labelViolations } from './core-names';
import type { KubeObject } from '../core/kube-object';
import { DNS1123_LABEL, DNS1123_SUBDOMAIN, formatProblem, PORT_NAME, portNumberProblem } from './name-formats';
import { itemsOf, kindKey, pointer, problemAt, violation, type Json } from './object-paths';

/** The kube-apiserver's default --service-node-port-range (Talos keeps it). */
const NODE_PORTS = { min: 30000, max: 32767 };

/** Problems of a Service; none for other kinds. */
export function serviceViolations(object: KubeObject): RuleViolation[] {
  if (kindKey(object) !== 'v1/Service') return [];
  const spec: Json = (object as Json).spec ?? {};
  // The API server defaults type and protocol before it validates.
  const type = spec.type ?? 'ClusterIP';
  const ports = itemsOf(spec.ports);
  const out: RuleViolation[] = [...labelViolations(spec.selector, '/spec/selector'), ...externalNameViolations(spec, type)];
  if (ports.length === 0 && spec.clusterIP !== 'None' && type !== 'ExternalName') {
    out.push(
      violation('/spec/ports', 'required field is missing: a Service needs at least one port (unless it is headless, clusterIP "None", or an ExternalName)'),
    );
  }
  const names = new Set<string>();
  const pairs = new Set<string>();
  ports.forEach((port, index) => {
    const at = pointer('/spec/ports', index);
    out.push(...portNameViolations(port, at, ports.length > 1, names), ...portNumberViolations(port, at, type));
    const pair = `${port.protocol ?? 'TCP'}/${port.port}`;
    if (pairs.has(pair)) out.push(violation(at, `duplicate port ${pair}: each protocol and port pair may appear once`));
    pairs.add(pair);
  });
  return out;
}

function externalNameViolations(spec: Json, type: string): RuleViolation[] {
  if (type !== 'ExternalName') return [];
  const name = String(spec.externalName ?? '').replace(/\.$/, '');
  if (!name) return [violation('/spec/externalName', 'required field is missing: an ExternalName Service must name the DNS name it aliases')];
  const problem = formatProblem(name, DNS1123_SUBDOMAIN);
  return problem ? [violation('/spec/externalName', problem)] : [];
}

function portNameViolations(port: Json, path: string, required: boolean, names: Set<string>): RuleViolation[] {
  if (!port.name) return required ? [violation(pointer(path, 'name'), 'required field is missing: a Service with several ports must name each one')] : [];
  const problem = formatProblem(String(port.name), DNS1123_LABEL);
  if (problem) return [violation(pointer(path, 'name'), `Service port name ${problem}`)];
  const duplicate = names.has(port.name);
  names.add(port.name);
  return duplicate ? [violation(pointer(path, 'name'), `duplicate port name ${JSON.stringify(port.name)}: give each port of the Service its own name`)] : [];
}

function portNumberViolations(port: Json, path: string, type: string): RuleViolation[] {
  const out: RuleViolation[] = [];
  const problem = portNumberProblem(Number(port.port ?? 0));
  if (problem) out.push(violation(pointer(path, 'port'), port.port === undefined ? 'required field is missing: set the port number' : problem));
  const target = port.targetPort;
  // An absent, 0 or "" targetPort defaults to the port.
  if (typeof target === 'number' && target !== 0) out.push(...problemAt(pointer(path, 'targetPort'), portNumberProblem(target)));
  if (typeof target === 'string' && target !== '') {
    const named = formatProblem(target, PORT_NAME);
    if (named) out.push(violation(pointer(path, 'targetPort'), `targetPort names a container port, and ${named}; or give the port number`));
  }
  if (port.nodePort !== undefined && port.nodePort !== 0) out.push(...nodePortViolations(port.nodePort, pointer(path, 'nodePort'), type));
  return out;
}

function nodePortViolations(nodePort: number, path: string, type: string): RuleViolation[] {
  if (type === 'ClusterIP' || type === 'ExternalName')
    return [violation(path, `may not be used when type is ${JSON.stringify(type)}: remove it, or make the Service a NodePort or LoadBalancer`)];
  if (nodePort < NODE_PORTS.min || nodePort > NODE_PORTS.max) {
    return [
      violation(
        path,
        `${nodePort} is outside the node port range ${NODE_PORTS.min}-${NODE_PORTS.max}: pick a port in it, or leave nodePort out to have one allocated`,
      ),
    ];
  }
  return [];
}
