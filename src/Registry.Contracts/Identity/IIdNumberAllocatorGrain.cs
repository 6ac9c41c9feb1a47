using System.Globalization;

namespace Registry.Contracts.Identity;

/// <summary>
/// Hands out the personal ID numbers of one <see cref="IdNumberPrefix"/> (the grain key). Serials are a
/// keyed permutation of 000000–999999 walked by a cursor: unique by construction, random-looking, with O(1)
/// state and no retry loop.
/// </summary>
public interface IIdNumberAllocatorGrain : IGrainWithStringKey
{
    /// <summary>The next unused number of this prefix.</summary>
    /// <exception cref="IdNumberPrefixExhaustedException">All 1,000,000 serials have been handed out.</exception>
    Task<PersonalIdNumber> AllocateAsync();
}

/// <summary>Every serial of a prefix is used; no further number can be issued under it.</summary>
[GenerateSerializer, Alias("registry.IdNumberPrefixExhaustedException")]
public sealed class IdNumberPrefixExhaustedException : Exception
{
    /// <summary>Creates the exception for <paramref name="prefix"/>.</summary>
    public IdNumberPrefixExhaustedException(string prefix)
        : base(string.Create(CultureInfo.InvariantCulture, $"All {PersonalIdNumber.SerialsPerPrefix:N0} ID numbers with prefix {prefix} have been issued.")) =>
        Prefix = prefix;

    /// <summary>The exhausted prefix.</summary>
    [Id(0)]
    public string Prefix { get; }
}
