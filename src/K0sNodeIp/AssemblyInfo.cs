// K0sNodeIp manages Linux nodes only (netlink, /proc, systemd).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
