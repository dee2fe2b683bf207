using System.Net;
using K0sNodeIp.Node;
using K0sNodeIp.Watch;

namespace K0sNodeIp.Tests.Watch;

public sealed class AddressBookTests
{
    private static readonly InterfaceAddress Stable = new(IPAddress.Parse("2001:db8::10"), 64);

    [Fact]
    public void Same_address_with_the_same_flags_is_a_lifetime_renewal_not_an_addition()
    {
        var book = new AddressBook();

        Assert.Equal(AddressChange.Added, book.Added(2, Stable));
        Assert.Equal(AddressChange.LifetimeOnly, book.Added(2, Stable));
        Assert.Equal(AddressChange.FlagsChanged, book.Added(2, Stable with { Flags = Ipv6AddressFlags.Deprecated }));
    }

    [Fact]
    public void Removed_address_or_link_is_new_again_when_it_comes_back()
    {
        var book = new AddressBook();
        book.Seed([new NetInterface(2, "eth0", true, false, false, [Stable])]);
        Assert.Equal(AddressChange.LifetimeOnly, book.Added(2, Stable));

        book.Removed(2, Stable);
        Assert.Equal(AddressChange.Added, book.Added(2, Stable));

        book.LinkRemoved(2);
        Assert.Equal(AddressChange.Added, book.Added(2, Stable));
    }
}
