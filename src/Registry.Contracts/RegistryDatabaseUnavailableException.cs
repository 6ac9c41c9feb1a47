namespace Registry.Contracts;

/// <summary>
/// A grain call failed because the registry's database did not answer it: the connection pool was exhausted or timed
/// out, PostgreSQL refused a connection (too many clients), or dropped one. Whether the call's change was stored is
/// unknown; the caller repeats it with the same idempotency key. It carries no word of the database's own message,
/// which may hold SQL or personal data; the silo that saw the failure logs the original.
/// </summary>
[GenerateSerializer, Alias("registry.RegistryDatabaseUnavailableException")]
public sealed class RegistryDatabaseUnavailableException : Exception
{
    /// <summary>Creates the exception for a call to <paramref name="grainCall"/>.</summary>
    public RegistryDatabaseUnavailableException(string grainCall)
        : base($"The registry's database did not answer {grainCall}; the outcome is unknown.") => GrainCall = grainCall;

    /// <summary>The grain type and method whose call failed, e.g. <c>citizen.RelocateAsync</c>; names no person.</summary>
    [Id(0)]
    public string GrainCall { get; }
}
