using Orleans.Concurrency;

namespace Registry.Contracts.Provinces;

/// <summary>
/// One province, keyed by its current 3-digit code: its communes and wards, and its counters. The counters live in
/// <see cref="IProvinceCounterGrain"/> shards, so that a city every relocation lands on is not one activation's queue;
/// this grain adds them up when asked. It never holds the list of its residents: with millions of residents a list
/// would make every write O(N).
/// </summary>
public interface IProvinceGrain : IGrainWithStringKey
{
    /// <summary>The province's counters now: the sum of its shards.</summary>
    [ReadOnly]
    Task<ProvinceCounts> GetCountsAsync();

    /// <summary>
    /// Adds a commune or ward, or renames it; repeating the call is harmless. Once a national commune list is in force,
    /// only a commune of this province in that list is accepted.
    /// </summary>
    /// <returns>Null when stored, else why the commune was refused, naming the field (nothing changed).</returns>
    Task<FieldError?> SetCommuneAsync(Commune commune);

    /// <summary>The province's communes and wards, by code: those of the national list in force, else those stored here.</summary>
    [ReadOnly]
    Task<Commune[]> GetCommunesAsync();

    /// <summary>The national commune list in force and the codes this province's communes are listed under; null while none is.</summary>
    [ReadOnly]
    Task<CommuneListInForce?> GetCommuneListAsync();

    /// <summary>
    /// Reads again which national commune list is in force and this province's communes in it: after an import, and
    /// when a reorganisation makes other units current. Otherwise they are read once per activation.
    /// </summary>
    Task ReloadCommuneListAsync();

    /// <summary>
    /// Why a permanent residence cannot be in <paramref name="communeCode"/> of this province, or null when it can: the
    /// error names <c>provinceCode</c> when the province was absorbed by a reorganisation, <c>communeCode</c> when it
    /// has no such commune (in the national list in force, when one is).
    /// </summary>
    [ReadOnly]
    Task<FieldError?> CheckDestinationAsync(string communeCode);

    /// <summary>The code of the unit this province belongs to now: its own, or that of the unit that absorbed it.</summary>
    [ReadOnly]
    Task<string> CurrentCodeAsync();

    /// <summary>
    /// Marks the province as absorbed (relocations into it are refused from then on) and returns its communes, which
    /// the surviving unit takes over. Repeating it is harmless.
    /// </summary>
    Task<Commune[]> AbsorbAsync(ProvinceAbsorption absorption);
}

/// <summary>A commune or ward (Decision 124/2004/QĐ-TTg codes have five digits).</summary>
/// <param name="Code">Five digits, unique in the country.</param>
/// <param name="Name">Vietnamese name, NFC.</param>
[GenerateSerializer, Immutable, Alias("registry.Commune")]
public sealed record Commune([property: Id(0)] string Code, [property: Id(1)] string Name)
{
    /// <summary>Longest name stored.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Why <paramref name="code"/> cannot be a commune code, or null.</summary>
    public static string? CheckCode(string? code) =>
        code is { Length: 5 } && code.All(char.IsAsciiDigit) ? null : $"A commune or ward code has 5 digits, not '{code}'.";
}

/// <summary>Why a province's resident count changes.</summary>
[GenerateSerializer, Alias("registry.ResidentCountReason")]
public enum ResidentCountReason
{
    /// <summary>A person registered with their permanent residence here (other than a newborn).</summary>
    Registration = 0,

    /// <summary>A resident died.</summary>
    Death = 1,

    /// <summary>A person moved their permanent residence here from another province.</summary>
    Arrival = 2,

    /// <summary>A resident moved their permanent residence to another province.</summary>
    Departure = 3,

    /// <summary>A newborn registered here: born less than a year before the registration.</summary>
    Birth = 4,

    /// <summary>A corrected birth date or sex moved a resident to a new number: −1 under the old, +1 under the new.</summary>
    Renumbering = 5,

    /// <summary>A reorganisation moved a resident's address from an absorbed province to the surviving one.</summary>
    Reorganisation = 6,
}

/// <summary>A +1 or −1 on a province's resident count, identified by <paramref name="OperationId"/>.</summary>
/// <param name="OperationId">Unique per change; a repeated id is counted once.</param>
/// <param name="PersonalIdNumber">Whose residence changed; their sex and birth year are read from it.</param>
/// <param name="Delta">+1 or −1.</param>
/// <param name="Reason">Why.</param>
/// <param name="MoveId">
/// For the two halves of a move between provinces (a relocation's departure and arrival, a reorganisation's −1 and +1),
/// the id both carry, which pairs them in the ledger (events, migration statistics); null for a change on its own.
/// </param>
[GenerateSerializer, Immutable, Alias("registry.ResidentCountChange")]
public sealed record ResidentCountChange(
    [property: Id(0)] string OperationId,
    [property: Id(1)] Identity.PersonalIdNumber PersonalIdNumber,
    [property: Id(2)] int Delta,
    [property: Id(3)] ResidentCountReason Reason,
    [property: Id(4)] string? MoveId = null);
