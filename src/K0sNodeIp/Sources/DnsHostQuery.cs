using System.Net;
using DnsClient;
using DnsClient.Protocol;
using Polly;
using Polly.Retry;
using K0sNodeIp.Node;

namespace K0sNodeIp.Sources;

/// <summary>
/// The DNS half of Go's resolver: A and AAAA queries with DnsClient against the nameservers, search list, ndots,
/// timeout, attempts and rotate of /etc/resolv.conf (Go's defaults where it sets none, the operator's overrides where
/// set), retried with Polly, with a probe that notices at once a nameserver with nothing listening, and answers
/// sorted by RFC 6724 as Go sorts them.
/// </summary>
internal sealed class DnsHostQuery(DnsSettings settings, ISourceAddressProbe probe, string resolvConfPath = ResolvConf.DefaultPath)
{
    private const string NotFound = "NXDOMAIN";
    private const string NoRecords = "no records";

    public async Task<HostLookupResult> LookupAsync(string name, CancellationToken cancellationToken)
    {
        ResolvConf conf;
        try
        {
            using var reader = File.Exists(resolvConfPath) ? new StreamReader(resolvConfPath) : (TextReader)new StringReader(string.Empty);
            conf = ResolvConf.Parse(reader);
        }
        catch (IOException e)
        {
            return new HostLookupResult("dns", [], $"cannot read {resolvConfPath}: {e.Message}");
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
            UseRandomNameServer = conf.Rotate,
            ThrowDnsErrors = false,
            ContinueOnDnsError = true,
            ContinueOnEmptyResponse = false,
            EnableAuditTrail = false,
        };
        var client = new LookupClient(options);
        var errors = new List<string>();
        var faulted = false;

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
                var a = QueryAsync(client, fqdn, QueryType.A, limits.Attempts, budget.Token);
                var aaaa = QueryAsync(client, fqdn, QueryType.AAAA, limits.Attempts, budget.Token);
                var results = await Task.WhenAll(a, aaaa);
                var answers = results.SelectMany(r => r.Addresses).ToArray();
                errors.AddRange(results.Where(r => r.Error is not null).Select(r => $"{fqdn} {r.Type}: {r.Error}"));
                faulted |= results.Any(r => r.Error is not (null or NotFound or NoRecords));
                if (answers.Length > 0)
                {
                    var note = errors.Count > 0 ? string.Join("; ", errors) : null;
                    return new HostLookupResult("dns", Rfc6724.Sort(answers, probe.SourceFor), note, faulted) { Dns = limits };
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add(refused
                ? "every nameserver refused the query (nothing listening on port 53)"
                : $"gave up after {limits.Budget.TotalSeconds:0.#} s ({limits.BudgetOrigin})");
            faulted = true;
        }
        finally
        {
            await budget.CancelAsync();
            await refusalWatch;
        }

        var servers = string.Join(", ", conf.Nameservers);
        var timedOut = errors.Any(e => e.Contains("timeout", StringComparison.Ordinal) || e.Contains("gave up", StringComparison.Ordinal));
        var applied = timedOut ? $"; {limits.Describe()}" : string.Empty;
        return new HostLookupResult("dns", [], errors.Count > 0 ? $"{string.Join("; ", errors)} (nameservers {servers}{applied})" : $"no names to query for \"{name}\"", faulted) { Dns = limits };
    }

    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// One query, then on a timeout or unreachable server the remaining attempts through a Polly retry. The
    /// pipeline is built only when a retry is needed: building it costs as much as a query, and most lookups
    /// never retry.
    /// </summary>
    private static async Task<IDnsQueryResponse> QueryWithRetryAsync(LookupClient client, string fqdn, QueryType type, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            return await client.QueryAsync(fqdn, type, QueryClass.IN, cancellationToken);
        }
        catch (Exception e) when (e is DnsResponseException or System.Net.Sockets.SocketException && attempts > 1)
        {
            await Task.Delay(RetryDelay, cancellationToken);
            return await RemainingAttempts(attempts).ExecuteAsync(async ct => await client.QueryAsync(fqdn, type, QueryClass.IN, ct), cancellationToken);
        }
    }

    private static ResiliencePipeline RemainingAttempts(int attempts) =>
        attempts <= 2
            ? ResiliencePipeline.Empty
            : new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    // Timeouts and unreachable servers are worth another try; a DNS answer (NXDOMAIN, SERVFAIL) is not.
                    ShouldHandle = new PredicateBuilder().Handle<DnsResponseException>().Handle<System.Net.Sockets.SocketException>(),
                    MaxRetryAttempts = attempts - 2,
                    Delay = RetryDelay,
                    BackoffType = DelayBackoffType.Constant,
                })
                .Build();

    private static async Task<QueryOutcome> QueryAsync(LookupClient client, string fqdn, QueryType type, int attempts, CancellationToken cancellationToken)
    {
        try
        {
            var response = await QueryWithRetryAsync(client, fqdn, type, attempts, cancellationToken);
            if (response.HasError)
            {
                return new QueryOutcome(type, [], response.Header.ResponseCode switch
                {
                    DnsHeaderResponseCode.NotExistentDomain => NotFound,
                    DnsHeaderResponseCode.ServerFailure => "SERVFAIL",
                    DnsHeaderResponseCode.Refused => "REFUSED",
                    var code => $"{code} ({response.ErrorMessage})",
                });
            }

            var addresses = AnswersFor(fqdn, response.Answers, type);
            return new QueryOutcome(type, addresses, addresses.Count == 0 ? NoRecords : null);
        }
        catch (DnsResponseException e)
        {
            return new QueryOutcome(type, [], e.Code == DnsResponseCode.ConnectionTimeout ? "timeout" : e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A garbage or mismatched answer is a fault of the server, not of ours.
            return new QueryOutcome(type, [], e.Message);
        }
    }

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

    private sealed record QueryOutcome(QueryType Type, IReadOnlyList<IPAddress> Addresses, string? Error);
}
