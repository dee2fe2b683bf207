using K0sNodeIp.Report;

namespace K0sNodeIp.Modes;

/// <summary>--reload, for the unit's ExecReload=: the running daemon detects again now.</summary>
internal sealed class SignalDaemonMode : IMode
{
    /// <summary>
    /// systemctl reload: SIGHUP to the daemon, whose PID systemd passes as $MAINPID to ExecReload=. Done here, not
    /// with /bin/kill, because kill comes from procps, which a minimal system does not have.
    /// </summary>
    public int Run(TextWriter stdout, TextWriter stderr)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable("MAINPID"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) || pid <= 1)
        {
            stderr.WriteLine("k0s-node-ip: --reload needs $MAINPID, the daemon's PID (systemd sets it for ExecReload=)");
            return ExitCodes.Usage;
        }

        if (Native.Libc.kill(pid, Native.Libc.SigHup) != 0)
        {
            stderr.WriteLine($"k0s-node-ip: cannot signal the daemon (PID {pid}): {new System.ComponentModel.Win32Exception(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()).Message}");
            return ExitCodes.NothingDetected;
        }

        return ExitCodes.Success;
    }

}
