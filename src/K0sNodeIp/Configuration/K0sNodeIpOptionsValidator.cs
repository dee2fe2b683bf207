using Microsoft.Extensions.Options;

namespace K0sNodeIp.Configuration;

/// <summary>Source-generated validation of the options tree (DataAnnotations and IValidatableObject).</summary>
[OptionsValidator]
internal sealed partial class K0sNodeIpOptionsValidator : IValidateOptions<K0sNodeIpOptions>;
