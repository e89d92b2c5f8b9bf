//go:build tools

// Package toolchain pins the real Kubernetes control plane, etcd and Helm that `verify` and the end-to-end tier build.
package toolchain

import (
	_ "helm.sh/helm/v4/cmd/helm"
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kubectl"
)
