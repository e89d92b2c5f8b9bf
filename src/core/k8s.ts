/**
 * The Kubernetes L1 bindings that cdk8s-plus-29 ships, imported alone: the package's index also loads its L2
 * constructs, which this library does not use. A plain `require`, so a bundle does not copy the module's
 * two thousand exports once per importing file.
 */
import k8s = require('cdk8s-plus-29/lib/imports/k8s');

export { k8s };
