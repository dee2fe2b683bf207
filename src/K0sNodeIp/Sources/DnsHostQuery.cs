using System.Net;
using DnsClient;
using DnsClient.Protocol;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// The DNS half of Go's resolver: A and AAAA queries with DnsClient against the nameservers, search list, ndots,
/// timeout, attempts and rotate of /etc/resolv.conf (Go's defaults where it sets none, the operator's overrides where
/// set), asking one server at a time by Go's rules (<see cref="GoServerRules"/>), with a probe that notices at once a nameserver with nothing listening, and answers
/// sorted by RFC 6724 as Go sorts them.
/// </summary>
internal sealed class DnsHostQuery(DnsSettings settings, ISourceAddressProbe probe)
{
    private const string NotFound = "NXDOMAIN";
    private const string NoRecords = "no records";

    /// <param name="resolvConf">/etc/resolv.conf as read for this lookup (not read again here).</param>
    public async Task<HostLookupResult> LookupAsync(string name, ResolvConfFile resolvConf, CancellationToken cancellationToken)
    {
        if (resolvConf.ConfForDns(out var unreadable) is not { } conf)
        {
            return new HostLookupResult(LookupMethod.Dns, [], unreadable);
        }

        var limits = settings.For(conf, conf.NameList(name).Count);

        // DnsClient's own discovery reads per-interface settings and fails inside network namespaces whose
        // links are not operationally up: hand it resolv.conf's servers instead.
        var options = new LookupClientOptions(conf.Nameservers.Select(s => new NameServer(s, 53)).ToArray())
        {
            UseCache = false,
            Timeout = limits.Timeout,
            Retries = 0,
            UseTcpFallback = true,
            ThrowDnsErrors = false,
            ContinueOnDnsError = false,
            ContinueOnEmptyResponse = false,
            EnableAuditTrail = false,
        };
        var client = new LookupClient(options);
        var errors = new List<string>();
        var faulted = false;

        // A server that did not answer in time, or the lookup's own bound: the limits applied are then worth saying.
        var timedOut = false;

        // One bound for the whole lookup, however many search domains and servers it walks through.
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(limits.Budget);
        var names = conf.NameList(name);

        // DnsClient's unconnected sockets never see an ICMP refusal and wait out every timeout; a connected probe
        // does, so a resolver with nothing listening (a stopped systemd-resolved, say) fails in milliseconds.
        var refused = false;
        var refusalWatch = names.Count == 0 ? Task.CompletedTask : Task.Run(async () =>
        {
            if (await NameserverProbe.AllRefuseAsync(conf.Nameservers, names[0], limits.Timeout, budget.Token))
            {
                refused = true;
                await budget.CancelAsync();
            }
        }, CancellationToken.None);
        try
        {
            foreach (var fqdn in names)
            {
                // Started in this order, so a rotate offset goes to A, then AAAA, as a replay expects.
                var a = TryOneNameAsync(client, conf, fqdn, QueryType.A, limits.Attempts, budget.Token);
                var aaaa = TryOneNameAsync(client, conf, fqdn, QueryType.AAAA, limits.Attempts, budget.Token);
                var results = await Task.WhenAll(a, aaaa);
                var answers = results.SelectMany(r => r.Addresses).ToArray();
                errors.AddRange(results.Select(r => r.Describe() is { } what ? $"{fqdn} {r.Type}: {what}" : null).OfType<string>());
                faulted |= results.Any(r => r.Faulted);
                timedOut |= results.Any(r => r.TimedOut);
                if (answers.Length > 0)
                {
                    var note = errors.Count > 0 ? string.Join("; ", errors) : null;
                    return new HostLookupResult(LookupMethod.Dns, Rfc6724.Sort(answers, probe.SourceFor), note, faulted) { Dns = limits };
                }
            }

            // Every server failed fast: the probe, quick for a refusal, says whether nothing listens there.
            if (faulted)
            {
                await refusalWatch.WaitAsync(limits.Timeout, budget.Token).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add($"gave up after {limits.Budget.TotalSeconds:0.#} s ({limits.BudgetOrigin})");
            faulted = true;
            timedOut = true;
        }
        finally
        {
            await budget.CancelAsync();
            await refusalWatch;
        }

        if (refused)
        {
            errors = ["every nameserver refused the query (nothing listening on port 53)"];
            timedOut = false;
        }

        var servers = string.Join(", ", conf.Nameservers);
        var applied = timedOut ? $"; {limits.Describe()}" : string.Empty;
        return new HostLookupResult(LookupMethod.Dns, [], errors.Count > 0 ? $"{string.Join("; ", errors)} (nameservers {servers}{applied})" : $"no names to query for \"{name}\"", faulted) { Dns = limits };
    }

    /// <summary>
    /// Go's <c>tryOneName</c> for one name and one type: every attempt walks every server, starting at the rotation
    /// offset. NXDOMAIN, and an answer without a record of the type, end the walk ("trying another server won't
    /// help"); SERVFAIL, REFUSED or any other code, a lame referral, a malformed answer or a timeout move on to the
    /// next server.
    /// </summary>
    private static async Task<QueryOutcome> TryOneNameAsync(LookupClient client, ResolvConf conf, string fqdn, QueryType type, int attempts, CancellationToken cancellationToken)
    {
        var servers = conf.Nameservers;
        var offset = conf.Rotate ? ServerRotation.Next() : 0;
        var failures = new List<string>();
        var timedOut = false;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            for (var j = 0; j < servers.Count; j++)
            {
                var server = servers[(int)((offset + (uint)j) % (uint)servers.Count)];
                IDnsQueryResponse response;
                try
                {
                    response = await client.QueryServerAsync([new NameServer(server, 53)], fqdn, type, QueryClass.IN, cancellationToken);
                }
                catch (DnsResponseException e) when (e.Code == DnsResponseCode.ConnectionTimeout)
                {
                    failures.Add(Failure(servers, server, "timeout"));
                    timedOut = true;
                    continue;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A garbage or mismatched answer is a fault of the server, not of ours.
                    failures.Add(Failure(servers, server, e.Message));
                    continue;
                }

                switch (GoServerRules.Judge(response, fqdn, type, out var addresses))
                {
                    case ServerVerdict.NoSuchHost:
                        return new QueryOutcome(type, [], Failure(servers, server, NotFound), failures, Faulted: false, timedOut);
                    case ServerVerdict.NoRecords:
                        return new QueryOutcome(type, [], Failure(servers, server, NoRecords), failures, Faulted: false, timedOut);
                    case ServerVerdict.Answered:
                        // Records of the type that belong to another name: answered, but with nothing for this one.
                        return new QueryOutcome(type, addresses, addresses.Count == 0 ? Failure(servers, server, NoRecords) : null, failures, Faulted: false, timedOut);
                    case ServerVerdict.LameReferral:
                        failures.Add(Failure(servers, server, "lame referral (no answer, not authoritative, no recursion)"));
                        break;
                    default:
                        failures.Add(Failure(servers, server, ResponseCodeName(response.Header.ResponseCode, response.ErrorMessage)));
                        break;
                }
            }
        }

        // Go reports the last server's error; the others are kept for the explanation.
        return new QueryOutcome(type, [], failures.Count > 0 ? failures[^1] : "no nameserver", failures, Faulted: true, timedOut);
    }

    /// <summary>A server's failure, named by its server only when there are several.</summary>
    private static string Failure(IReadOnlyList<IPAddress> servers, IPAddress server, string what) =>
        servers.Count > 1 ? $"{what} from {server}" : what;

    private static string ResponseCodeName(DnsHeaderResponseCode code, string message) => code switch
    {
        DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
        DnsHeaderResponseCode.Refused => "REFUSED",
        _ => $"{code} ({message})",
    };

    /// <summary>Address records owned by the queried name or its CNAME chain; records for other names are ignored, as Go does.</summary>
    internal static IReadOnlyList<IPAddress> AnswersFor(string fqdn, IEnumerable<DnsResourceRecord> records, QueryType type)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { fqdn };
        var result = new List<IPAddress>();
        foreach (var record in records)
        {
            var owner = record.DomainName.Value;
            if (!names.Contains(owner))
            {
                continue;
            }

            switch (record)
            {
                case CNameRecord cname:
                    names.Add(cname.CanonicalName.Value);
                    break;
                case ARecord a when type == QueryType.A:
                    result.Add(a.Address);
                    break;
                case AaaaRecord aaaa when type == QueryType.AAAA:
                    // An IPv4-mapped AAAA answer is an IPv4 address to Go.
                    result.Add(GoAddress.Normalize(aaaa.Address));
                    break;
            }
        }

        return result;
    }

    /// <param name="Error">Why this query found nothing: the final answer, or the last server's failure.</param>
    /// <param name="Failures">Servers that failed on the way, in the order they were asked.</param>
    /// <param name="Faulted">Every server failed (timeout, SERVFAIL, REFUSED, garbage): not merely "no such name".</param>
    /// <param name="TimedOut">A server did not answer in time (DnsClient's <see cref="DnsResponseCode.ConnectionTimeout"/>), on the way or at the end.</param>
    private sealed record QueryOutcome(QueryType Type, IReadOnlyList<IPAddress> Addresses, string? Error, IReadOnlyList<string> Failures, bool Faulted, bool TimedOut)
    {

        /// <summary>What happened on the way, for the explanation; null when the first server answered.</summary>
        public string? Describe() =>
            Error is null && Failures.Count == 0 ? null
            : string.Join(", ", Error is null || (Failures.Count > 0 && Failures[^1] == Error) ? Failures : Failures.Append(Error));
    }
}
