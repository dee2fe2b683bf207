namespace K0sNodeIp.Reload;

/// <summary>systemd could not be asked (no bus, no systemctl) or refused the request.</summary>
internal sealed class SystemdException : Exception
{
    public SystemdException(string message) : base(message)
    {
    }

    public SystemdException()
    {
    }

    public SystemdException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
