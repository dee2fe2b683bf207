namespace K0sNodeIp.Tests.Integration;

/// <summary>Integration tests run one at a time: each starts processes and namespaces on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IntegrationCollection
{
    public const string Name = "integration";
}
