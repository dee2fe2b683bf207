namespace K0sNodeIp.Sources;

/// <summary>One source of an nsswitch.conf line, such as <c>dns [NOTFOUND=return]</c>.</summary>
internal sealed record NsSource(string Name, IReadOnlyList<NsCriterion> Criteria)
{
    /// <summary>True when every criterion is what glibc does anyway (Go's <c>standardCriteria</c>).</summary>
    public bool HasStandardCriteria()
    {
        for (var i = 0; i < Criteria.Count; i++)
        {
            var c = Criteria[i];
            if (c.Negate)
            {
                return false;
            }

            var standard = c.Status switch
            {
                "success" => "return",
                "notfound" or "unavail" or "tryagain" => "continue",
                _ => null,
            };
            if (standard is null || (c.Action != standard && !(i == Criteria.Count - 1 && c.Action == "return")))
            {
                return false;
            }
        }

        return true;
    }
}
