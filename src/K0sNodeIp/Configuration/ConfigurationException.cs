namespace K0sNodeIp.Configuration;

/// <summary>A configuration that cannot be used; the program exits with EX_CONFIG (78) before touching anything.</summary>
internal sealed class ConfigurationException : Exception
{
    public ConfigurationException(string message) : base(message)
    {
    }

    public ConfigurationException()
    {
    }

    public ConfigurationException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
