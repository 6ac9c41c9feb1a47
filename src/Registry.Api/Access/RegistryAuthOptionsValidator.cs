using Microsoft.Extensions.Options;
using Registry.Tokens;

namespace Registry.Api.Access;

/// <summary>Refuses to start the API with token settings that are missing or unusable, naming each key.</summary>
public sealed class RegistryAuthOptionsValidator : IValidateOptions<RegistryAuthOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RegistryAuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
