namespace K0sNodeIp.Sources;

/// <summary>A <c>[!STATUS=action]</c> item.</summary>
internal sealed record NsCriterion(bool Negate, string Status, string Action);
