using K0sNodeIp.Formats;

namespace K0sNodeIp.Targets;

/// <summary>The unit whose command line the drop-in copies is not installed (k0s not installed yet, or reset), or runs no kubelet: nothing to render, nothing wrong.</summary>
internal sealed class UnitAbsentException : TargetException
{
    public UnitAbsentException(string message) : base(message)
    {
    }

    public UnitAbsentException(string message, K0sUnitRole role) : base(message)
    {
        Role = role;
    }

    /// <summary>What was found instead: no unit, or (k0s) a controller that runs no kubelet.</summary>
    public K0sUnitRole Role { get; } = K0sUnitRole.NotInstalled;

    public UnitAbsentException()
    {
    }

    public UnitAbsentException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
