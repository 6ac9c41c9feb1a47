using Registry.Contracts.Batches;
using Registry.Contracts.Cards;
using Registry.Contracts.Identity;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Contracts;

/// <summary>
/// The one place grain keys are made. Stored state is keyed by state name and key, and a key of only hex
/// digits is stored as a number, so every key kind has a fixed width (12-digit numbers, 6-digit prefixes,
/// 3-digit codes) or a prefix that makes it non-numeric.
/// </summary>
public static class RegistryGrains
{
    /// <summary>The person holding <paramref name="number"/>.</summary>
    public static ICitizenGrain Citizen(this IGrainFactory grains, PersonalIdNumber number) =>
        grains.GetGrain<ICitizenGrain>(number.Value);

    private const string HouseholdRelocationPrefix = "household:";

    /// <summary>The household move requested with <paramref name="idempotencyKey"/>.</summary>
    public static IHouseholdRelocationGrain HouseholdRelocation(this IGrainFactory grains, string idempotencyKey) =>
        grains.GetGrain<IHouseholdRelocationGrain>(HouseholdRelocationPrefix + idempotencyKey);

    /// <summary>The idempotency key of the household move whose grain has the key <paramref name="grainKey"/>.</summary>
    public static string HouseholdRelocationKeyOf(string grainKey)
    {
        ArgumentNullException.ThrowIfNull(grainKey);
        return grainKey.StartsWith(HouseholdRelocationPrefix, StringComparison.Ordinal)
            ? grainKey[HouseholdRelocationPrefix.Length..]
            : throw new ArgumentException($"'{grainKey}' is not the key of a household move.", nameof(grainKey));
    }

    /// <summary>The province with this current code.</summary>
    public static IProvinceGrain Province(this IGrainFactory grains, string provinceCode) =>
        grains.GetGrain<IProvinceGrain>(provinceCode);

    /// <summary>The shard of <paramref name="provinceCode"/> that counts <paramref name="number"/>.</summary>
    public static IProvinceCounterGrain ProvinceCounter(this IGrainFactory grains, string provinceCode, PersonalIdNumber number) =>
        grains.GetGrain<IProvinceCounterGrain>(IProvinceCounterGrain.Key(provinceCode, IProvinceCounterGrain.ShardOf(number)));

    /// <summary>The allocator of numbers under <paramref name="prefix"/>.</summary>
    public static IIdNumberAllocatorGrain IdNumberAllocator(this IGrainFactory grains, IdNumberPrefix prefix) =>
        grains.GetGrain<IIdNumberAllocatorGrain>(prefix.Value);

    /// <summary>The registration request with this idempotency key.</summary>
    public static IRegistrationGrain Registration(this IGrainFactory grains, string idempotencyKey) =>
        grains.GetGrain<IRegistrationGrain>(RegistrationKey(idempotencyKey));

    /// <summary>The key of the registration grain for <paramref name="idempotencyKey"/>; the prefix keeps digit-only keys strings.</summary>
    public static string RegistrationKey(string idempotencyKey) => "registration:" + idempotencyKey;

    /// <summary>The proposal with this id.</summary>
    public static IProposalGrain Proposal(this IGrainFactory grains, string proposalId) =>
        grains.GetGrain<IProposalGrain>("proposal:" + proposalId);

    /// <summary>The batch with this id.</summary>
    public static IBatchGrain Batch(this IGrainFactory grains, string batchId) =>
        grains.GetGrain<IBatchGrain>(BatchKey(batchId));

    /// <summary>The key of the batch grain for <paramref name="batchId"/>; the prefix keeps digit-only ids strings.</summary>
    public static string BatchKey(string batchId) => "batch:" + batchId;

    /// <summary>The identity card with <paramref name="number"/>; the prefix keeps a number of hex-digit characters a string.</summary>
    public static IIdentityCardGrain IdentityCard(this IGrainFactory grains, DocumentNumber number) =>
        grains.GetGrain<IIdentityCardGrain>("card:" + number.Value);

    /// <summary>The card expiry sweep of <paramref name="provinceCode"/> on <paramref name="day"/>: key <c>{code}/{yyyy-MM-dd}</c>, never numeric.</summary>
    public static ICardExpirySweepGrain CardExpirySweep(this IGrainFactory grains, string provinceCode, DateOnly day) =>
        grains.GetGrain<ICardExpirySweepGrain>(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{provinceCode}/{day:yyyy-MM-dd}"));

    /// <summary>The allocator of the document numbers of <paramref name="provinceCode"/>.</summary>
    public static ICardNumberAllocatorGrain CardNumberAllocator(this IGrainFactory grains, string provinceCode) =>
        grains.GetGrain<ICardNumberAllocatorGrain>("card-numbers:" + provinceCode);
}
