using K0sNodeIp.Node;

namespace K0sNodeIp.Tests.Configuration;

/// <summary>One rule for a service's name, written either way (issue 31: it was normalised in five places by two rules).</summary>
public sealed class ServiceUnitNameTests
{
    [Theory]
    [InlineData("k0sworker", "k0sworker.service", "k0sworker", "k0sworker.service.d")]
    [InlineData("k0sworker.service", "k0sworker.service", "k0sworker", "k0sworker.service.d")]
    // A dot of its own is part of the name: "contains a dot" was taken for "has its suffix", and systemd was asked for "foo.bar".
    [InlineData("foo.bar", "foo.bar.service", "foo.bar", "foo.bar.service.d")]
    [InlineData("kubelet@node1", "kubelet@node1.service", "kubelet@node1", "kubelet@node1.service.d")]
    public void Either_spelling_gives_the_same_unit(string written, string full, string stem, string dropIns)
    {
        Assert.Equal(full, ServiceUnitName.Full(written));
        Assert.Equal(stem, ServiceUnitName.Stem(written));
        Assert.Equal(dropIns, ServiceUnitName.DropInFolder(written));
        Assert.Equal(full, ServiceUnitName.Full(ServiceUnitName.Stem(written)));
    }
}
