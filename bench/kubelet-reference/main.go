// Command kubelet-reference prints, once per family, the node IP kubelet's own code settles on for this host
// when --node-ip is empty, as a dual-stack kubelet started with --node-ip=0.0.0.0 or --node-ip=:: would.
// The order kubelet follows: the node name itself when it is an IP; otherwise the answers of
// net.LookupIP(node name) that pass kubelet's node-IP check, the first one of the wanted family, or failing
// that the first one of the other family; otherwise apimachinery's ResolveBindAddress for the family's
// unspecified address (ChooseHostInterface with that family tried first). Built static with CGO_ENABLED=0,
// as k0s builds kubelet, so net.LookupIP is Go's own resolver.
//
// ResolveBindAddress and ChooseHostInterface are apimachinery's own code (pkg/util/net/interface.go, with
// k8s.io/utils/net's ParseCIDRSloppy under it), which ./build takes from local git mirrors at pinned commits
// into a temporary folder (see README.md): none of it is kept in this repository. checkNodeIP and pickNodeIP
// below are ours: they do what kubelet's code does, in the same order, and say which function each follows.
//
// Output: one "IPv4 ADDR" and one "IPv6 ADDR" line (or "IPv4 error: ..."); exit status 1 if a family failed.
package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	utilnet "kubelet-reference/upstream/apimachinery/pkg/util/net"
)

// checkNodeIP does what validateNodeIP does in kubernetes/kubernetes pkg/kubelet/kubelet_node_status.go:
// the cheap refusals first and in the same order (not an IP at all, then loopback, multicast, link-local
// unicast, all zeros), and only then one dump of the host's interface addresses, which must hold ip. The
// error texts are ours; nothing prints them, as a later candidate or ResolveBindAddress decides instead.
func checkNodeIP(ip net.IP) error {
	var why string
	switch {
	case ip.To16() == nil: // neither 4 nor 16 bytes (To4 succeeds only where To16 does)
		why = "is not an IP address"
	case ip.IsLoopback():
		why = "is a loopback address"
	case ip.IsMulticast():
		why = "is a multicast address"
	case ip.IsLinkLocalUnicast():
		why = "is a link-local unicast address"
	case ip.IsUnspecified():
		why = "is the unspecified address"
	}
	if why != "" {
		return fmt.Errorf("node IP %v %s", ip, why)
	}
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if onHost := addrIP(a); onHost != nil && onHost.Equal(ip) {
			return nil
		}
	}
	return fmt.Errorf("node IP %v is on none of this host's interfaces", ip)
}

// addrIP is the IP of an interface address as net.InterfaceAddrs returns them, nil for other kinds.
func addrIP(a net.Addr) net.IP {
	switch v := a.(type) {
	case *net.IPNet:
		return v.IP
	case *net.IPAddr:
		return v.IP
	}
	return nil
}

// pickNodeIP follows the branch of NodeAddress (kubernetes/kubernetes pkg/kubelet/nodestatus/setters.go) that
// runs without a cloud provider when --node-ip is the unspecified address of one family (family): the node
// name if it parses as an IP; else the first looked-up answer that passes checkNodeIP and is of that family
// (answers are checked in order until one is, so each checked answer costs one interface dump, as in kubelet);
// else the first answer that passed, of the other family; else ResolveBindAddress(family).
func pickNodeIP(nodeName string, family net.IP, answers []net.IP) (net.IP, error) {
	if ip := net.ParseIP(nodeName); ip != nil {
		return ip, nil
	}
	wantIPv4 := family.To4() != nil
	var otherFamily net.IP
	for _, ip := range answers {
		if checkNodeIP(ip) != nil {
			continue
		}
		if (ip.To4() != nil) == wantIPv4 {
			return ip, nil
		}
		if otherFamily == nil {
			otherFamily = ip
		}
	}
	if otherFamily != nil {
		return otherFamily, nil
	}
	ip, err := utilnet.ResolveBindAddress(family)
	if ip == nil {
		return nil, fmt.Errorf("no IP for node %s: %v", nodeName, err)
	}
	return ip, nil
}

func main() {
	hostname, err := os.Hostname()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// The node name kubelet derives from the host name (nodeutil.GetHostname): trimmed, lower case.
	nodeName := strings.ToLower(strings.TrimSpace(hostname))
	answers, _ := net.LookupIP(nodeName)
	failed := false
	for _, f := range []struct {
		name        string
		unspecified net.IP
	}{{"IPv4", net.IPv4zero}, {"IPv6", net.IPv6zero}} {
		ip, err := pickNodeIP(nodeName, f.unspecified, answers)
		if err != nil {
			fmt.Printf("%s error: %v\n", f.name, err)
			failed = true
			continue
		}
		fmt.Printf("%s %s\n", f.name, ip)
	}
	if failed {
		os.Exit(1)
	}
}
