using System.Net;
using K0sNodeIp.Node;

namespace K0sNodeIp.Watch;

/// <summary>
/// The addresses the watcher has seen, with their flags, so that an RTM_NEWADDR for an address already there is told
/// apart from a new one: a lifetime renewal (DHCP, router advertisements) changes nothing the policy reads and costs no
/// detection; a flag change (deprecated, DAD done) is named as one.
/// </summary>
internal sealed class AddressBook
{
    private readonly Dictionary<(int Index, IPAddress Address), Ipv6AddressFlags> _known = [];

    /// <summary>What an RTM_NEWADDR means against what was known.</summary>
    public AddressChange Added(int index, InterfaceAddress address)
    {
        lock (_known)
        {
            var key = (index, address.Address);
            var change = !_known.TryGetValue(key, out var before) ? AddressChange.Added
                : before == address.Flags ? AddressChange.LifetimeOnly
                : AddressChange.FlagsChanged;
            _known[key] = address.Flags;
            return change;
        }
    }

    public void Removed(int index, InterfaceAddress address)
    {
        lock (_known)
        {
            _known.Remove((index, address.Address));
        }
    }

    /// <summary>Forgets every address of a removed link.</summary>
    public void LinkRemoved(int index)
    {
        lock (_known)
        {
            foreach (var key in _known.Keys.Where(k => k.Index == index).ToList())
            {
                _known.Remove(key);
            }
        }
    }

    /// <summary>Starts from the node's addresses as a dump gave them.</summary>
    public void Seed(IEnumerable<NetInterface> interfaces)
    {
        lock (_known)
        {
            foreach (var nic in interfaces)
            {
                foreach (var address in nic.Addresses)
                {
                    _known[(nic.Index, address.Address)] = address.Flags;
                }
            }
        }
    }
}
