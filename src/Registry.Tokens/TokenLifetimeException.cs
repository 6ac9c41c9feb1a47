using Microsoft.IdentityModel.Tokens;

namespace Registry.Tokens;

/// <summary>
/// A token refused for its lifetime by the registry's own rule (longer than the maximum, or unbounded); its message is
/// ours, names no secret, and is shown to the caller as it is.
/// </summary>
public sealed class TokenLifetimeException : SecurityTokenInvalidLifetimeException
{
    /// <summary>A refusal saying why.</summary>
    public TokenLifetimeException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the analyzers for exception types.</summary>
    public TokenLifetimeException()
    {
    }

    /// <summary>Required by the analyzers for exception types.</summary>
    public TokenLifetimeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
