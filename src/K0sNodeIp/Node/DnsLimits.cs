namespace K0sNodeIp.Node;

/// <summary>The DNS limits one lookup ran with, and where each came from (shown by --print).</summary>
internal sealed record DnsLimits(TimeSpan Timeout, string TimeoutOrigin, int Attempts, string AttemptsOrigin, TimeSpan Budget, string BudgetOrigin)
{
    public string Describe() =>
        $"timeout {Timeout.TotalSeconds:0.#} s ({TimeoutOrigin}), {Attempts} {(Attempts == 1 ? "attempt" : "attempts")} ({AttemptsOrigin}), at most {Budget.TotalSeconds:0.#} s in all ({BudgetOrigin})";
}
