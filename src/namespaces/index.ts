export * from './namespace-firewall';
export * from './platform-firewall';
export * from './pod-security';
export * from './security-report';
export * from './talos-namespace';
export * from './namespace-input';
