// Package klog stands in for k8s.io/klog/v2 in the apimachinery code ../build assembles (its import of
// k8s.io/klog/v2 is rewritten to this package): the few calls that ChooseHostInterface makes
// (klog.Background(), logger.V(n).Info) with kubelet's default verbosity, at which they print nothing. Ours,
// not upstream code.
package klog

// Logger is the part of klog.Logger (a logr.Logger) that pkg/util/net calls.
type Logger struct{}

// Background returns the logger; kubelet's default -v=0 hides every V(4) line the node-IP path logs.
func Background() Logger { return Logger{} }

// V returns the logger at that verbosity.
func (l Logger) V(level int) Logger { return l }

// Info logs nothing.
func (Logger) Info(msg string, keysAndValues ...interface{}) {}
