using Orleans.Concurrency;
using Registry.Contracts.Identity;

namespace Registry.Contracts.Provinces;

/// <summary>
/// One shard of a province's counters, keyed <c>{province code}/{shard}</c>: staged aggregation. A person's count
/// changes always go to the same shard of a province (<see cref="ShardOf"/>), shards live on any silo, and the
/// <see cref="IProvinceGrain"/> adds them up on reads, so the few cities that receive most relocations spread their
/// writes over <see cref="Shards"/> activations instead of queueing on one.
/// </summary>
public interface IProvinceCounterGrain : IGrainWithStringKey
{
    /// <summary>Shards per province. Stored in every ledger row, so changing it needs no migration of old rows.</summary>
    public const int Shards = 8;

    /// <summary>Applies a change once, however often the same operation is sent.</summary>
    /// <returns>True when this call applied it, false when it had been applied before.</returns>
    Task<bool> ApplyAsync(ResidentCountChange change);

    /// <summary>This shard's counters.</summary>
    [ReadOnly]
    Task<ProvinceCounterTotals> GetTotalsAsync();

    /// <summary>
    /// The shard of a province that counts <paramref name="number"/>: the remainder of its 6-digit serial, which the
    /// allocator's permutation spreads evenly. (A shard's cells may go negative when a person's +1 and −1 land in
    /// different shards after this rule changes; every sum over a province stays exact.)
    /// </summary>
    public static int ShardOf(PersonalIdNumber number) =>
        int.Parse(number.Value.AsSpan(6), System.Globalization.CultureInfo.InvariantCulture) % Shards;

    /// <summary>The grain key of shard <paramref name="shard"/> of <paramref name="provinceCode"/>.</summary>
    public static string Key(string provinceCode, int shard) => $"{provinceCode}/{shard}";
}
