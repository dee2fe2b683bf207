using K0sNodeIp.Formats;

namespace K0sNodeIp.Targets;

/// <summary>The unit whose command line the drop-in copies is not installed (k0s not installed yet, or reset): nothing to render, nothing wrong.</summary>
internal sealed class UnitAbsentException : TargetException
{
    public UnitAbsentException(string message) : base(message)
    {
    }

    public UnitAbsentException()
    {
    }

    public UnitAbsentException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
