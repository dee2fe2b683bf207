using System.Net;
using System.Runtime.InteropServices;
using K0sNodeIp.Native;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// glibc's getaddrinfo, as a cgo-built kubelet calls it when /etc/nsswitch.conf names modules Go cannot
/// emulate (<c>myhostname</c>, <c>resolve</c>, <c>mdns</c>). Answers keep glibc's order.
/// </summary>
internal sealed class GlibcHostLookup(TimeSpan budget) : IHostLookup
{
    // Go's cgoAddrInfoFlags on Linux: AI_CANONNAME | AI_V4MAPPED | AI_ALL.
    private const int AddrInfoFlags = 0x2 | 0x8 | 0x10;

    public async Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            // getaddrinfo blocks and cannot be cancelled; the budget bounds how long we wait for it.
            return await Task.Run(() => Resolve(name), cancellationToken).WaitAsync(budget, cancellationToken);
        }
        catch (TimeoutException)
        {
            return new HostLookupResult(LookupMethod.Getaddrinfo, [], $"no answer within {budget.TotalSeconds:0.#} s", Faulted: true);
        }
    }

    internal static unsafe HostLookupResult Resolve(string name)
    {
        var hints = new Libc.AddrInfo { Family = Libc.AfUnspec, SockType = Libc.SockStream, Flags = AddrInfoFlags };
        Libc.AddrInfo* result = null;
        var error = Libc.getaddrinfo(name, null, &hints, &result);
        if (error != 0)
        {
            return new HostLookupResult(LookupMethod.Getaddrinfo, [], Marshal.PtrToStringUTF8((nint)Libc.gai_strerror(error)) ?? $"error {error}");
        }

        try
        {
            var answers = new List<IPAddress>();
            for (var info = result; info != null; info = info->Next)
            {
                if (info->Addr == null)
                {
                    continue;
                }

                var address = info->Family switch
                {
                    Libc.AfInet => new IPAddress(new ReadOnlySpan<byte>(info->Addr + 4, 4)),
                    Libc.AfInet6 => new IPAddress(new ReadOnlySpan<byte>(info->Addr + 8, 16)),
                    _ => null,
                };
                if (address is not null && !answers.Contains(address))
                {
                    answers.Add(address);
                }
            }

            return new HostLookupResult(LookupMethod.Getaddrinfo, answers);
        }
        finally
        {
            Libc.freeaddrinfo(result);
        }
    }
}
