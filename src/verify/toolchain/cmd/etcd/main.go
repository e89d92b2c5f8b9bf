// Command etcd is the etcd server at the version k8s.io/kubernetes itself pins (go.etcd.io/etcd/server/v3).
// The server module carries replace directives, so it cannot be `go install`ed; as a dependency it builds.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
