using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;
using Registry.Domain;
using Registry.Domain.Residents;

namespace Registry.Grains.Provinces;

/// <summary>A province: its communes and wards in stored state, its counters added up from its shards on request.</summary>
public sealed class ProvinceGrain(
    [PersistentState(RegistryStorage.ProvinceState, RegistryStorage.Name)] IPersistentState<ProvinceState> state,
    TimeProvider time)
    : Grain, IProvinceGrain
{
    private string Code => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken) =>
        ProvinceCatalog.IsKnown(Code) ? Task.CompletedTask : throw new ArgumentException($"'{Code}' is not a province code.");

    /// <inheritdoc />
    public async Task<ProvinceCounts> GetCountsAsync()
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IProvinceCounterGrain.Shards)
            .Select(shard => GrainFactory.GetGrain<IProvinceCounterGrain>(IProvinceCounterGrain.Key(Code, shard)).GetTotalsAsync()));
        return ProvinceCounts.Sum(Code, shards, VietnamCalendar.Today(time).Year);
    }

    /// <inheritdoc />
    public async Task<string?> SetCommuneAsync(Commune commune)
    {
        ArgumentNullException.ThrowIfNull(commune);
        var (name, nameError) = RegistrationRules.NormaliseText(commune.Name, "The commune's name", Commune.MaxNameLength);
        if ((Commune.CheckCode(commune.Code) ?? nameError) is { } error)
        {
            return error;
        }

        if (state.State.AbsorbedBy is { } absorbed)
        {
            return $"Province {Code} was absorbed into {absorbed.Into}; its communes belong to {absorbed.Into} now.";
        }

        var normalised = commune with { Name = name! };
        if (state.State.Communes.TryGetValue(commune.Code, out var existing) && existing == normalised)
        {
            return null;
        }

        await state.StoreOrReloadAsync(this, state.State with
        {
            Communes = new Dictionary<string, Commune>(state.State.Communes, StringComparer.Ordinal) { [commune.Code] = normalised },
        });
        return null;
    }

    /// <inheritdoc />
    public Task<Commune[]> GetCommunesAsync() =>
        Task.FromResult(state.State.Communes.Values.OrderBy(static commune => commune.Code, StringComparer.Ordinal).ToArray());

    /// <inheritdoc />
    public Task<FieldError?> CheckDestinationAsync(string communeCode) => Task.FromResult(
        state.State.AbsorbedBy is { } absorbed
            ? new FieldError("provinceCode",
                $"Province {Code} was absorbed into {absorbed.Into} on {ResidentFields.Text(absorbed.EffectiveOn)} ({absorbed.PlanId}); move people to {absorbed.Into}.")
        : Commune.CheckCode(communeCode) is { } malformed ? new FieldError("communeCode", malformed)
        : state.State.Communes.ContainsKey(communeCode) ? null
        : new FieldError("communeCode", $"Province {Code} has no commune or ward {communeCode}."));

    /// <inheritdoc />
    public async Task<string> CurrentCodeAsync() =>
        state.State.AbsorbedBy is { } absorbed ? await GrainFactory.Province(absorbed.Into).CurrentCodeAsync() : Code;

    /// <inheritdoc />
    public async Task<Commune[]> AbsorbAsync(ProvinceAbsorption absorption)
    {
        ArgumentNullException.ThrowIfNull(absorption);
        if (state.State.AbsorbedBy is null)
        {
            await state.StoreOrReloadAsync(this, state.State with { AbsorbedBy = absorption });
        }

        return await GetCommunesAsync();
    }
}
