// Command kubelet-reference prints the node IPs kubelet's own code picks on this host when --node-ip is
// empty, once per family, as a dual-stack kubelet given --node-ip=0.0.0.0 or --node-ip=:: would: the host
// name when it is an IP; else the first answer of net.LookupIP(node name) that passes validateNodeIP, of
// that family if one does, else any; else utilnet.ResolveBindAddress(unspecified address of the family),
// i.e. ChooseHostInterface with that family first. Built static with CGO_ENABLED=0, as k0s builds kubelet,
// so net.LookupIP is Go's own resolver.
//
// The selection code is kubelet's: third_party/ holds apimachinery's pkg/util/net (ChooseHostInterface,
// ResolveBindAddress) and k8s.io/utils/net (ParseCIDRSloppy), see third_party/README.md; validateNodeIP
// below is kubelet's (pkg/kubelet/kubelet_node_status.go, Apache-2.0, The Kubernetes Authors), and the
// lookup loop follows pkg/kubelet/nodestatus/setters.go NodeAddress.
//
// Output: "IPv4 ADDR" and "IPv6 ADDR" lines (or "IPv4 error: ...").
package main

import (
	"fmt"
	"net"
	"os"
	"strings"

	utilnet "kubelet-reference/third_party/apimachinery/pkg/util/net"
)

// Validate given node IP belongs to the current host (kubelet's validateNodeIP, verbatim).
func validateNodeIP(nodeIP net.IP) error {
	// Honor IP limitations set in setNodeStatus()
	if nodeIP.To4() == nil && nodeIP.To16() == nil {
		return fmt.Errorf("nodeIP must be a valid IP address")
	}
	if nodeIP.IsLoopback() {
		return fmt.Errorf("nodeIP can't be loopback address")
	}
	if nodeIP.IsMulticast() {
		return fmt.Errorf("nodeIP can't be a multicast address")
	}
	if nodeIP.IsLinkLocalUnicast() {
		return fmt.Errorf("nodeIP can't be a link-local unicast address")
	}
	if nodeIP.IsUnspecified() {
		return fmt.Errorf("nodeIP can't be an all zeros address")
	}

	addrs, err := net.InterfaceAddrs()
	if err != nil {
		return err
	}
	for _, addr := range addrs {
		var ip net.IP
		switch v := addr.(type) {
		case *net.IPNet:
			ip = v.IP
		case *net.IPAddr:
			ip = v.IP
		}
		if ip != nil && ip.Equal(nodeIP) {
			return nil
		}
	}
	return fmt.Errorf("node IP: %q not found in the host's network interfaces", nodeIP.String())
}

// nodeAddress is NodeAddress's no-cloud branch with nodeIP the unspecified address of one family.
func nodeAddress(nodeName string, nodeIP net.IP, lookedUp []net.IP) (net.IP, error) {
	if addr := net.ParseIP(nodeName); addr != nil {
		return addr, nil
	}
	preferIPv4 := nodeIP.To4() != nil
	var ipAddr net.IP
	var err error
	for _, addr := range lookedUp {
		if err = validateNodeIP(addr); err == nil {
			if (addr.To4() != nil) == preferIPv4 {
				ipAddr = addr
				break
			} else if ipAddr == nil {
				ipAddr = addr
			}
		}
	}
	if ipAddr == nil {
		ipAddr, err = utilnet.ResolveBindAddress(nodeIP)
	}
	if ipAddr == nil {
		return nil, fmt.Errorf("can't get ip address of node %s. error: %v", nodeName, err)
	}
	return ipAddr, nil
}

func main() {
	hostname, err := os.Hostname()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// kubelet's node name: nodeutil.GetHostname lower-cases and trims the host name.
	nodeName := strings.ToLower(strings.TrimSpace(hostname))
	lookedUp, _ := net.LookupIP(nodeName)
	status := 0
	for _, family := range []struct {
		name string
		ip   net.IP
	}{{"IPv4", net.IPv4zero}, {"IPv6", net.IPv6zero}} {
		ip, err := nodeAddress(nodeName, family.ip, lookedUp)
		if err != nil {
			fmt.Printf("%s error: %v\n", family.name, err)
			status = 1
			continue
		}
		fmt.Printf("%s %s\n", family.name, ip)
	}
	os.Exit(status)
}
