using System.Collections.Frozen;
using Registry.Domain.Provinces;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Database.Communes;
using Registry.Domain.Residents;
using Registry.Domain;

namespace Registry.Grains.Provinces;

/// <summary>
/// A province: its communes and wards, its counters added up from its shards on request. Once a national commune list
/// is in force (<see cref="CommuneList.InForce"/>), its communes are those of the list, read once per activation so that
/// checking a move's destination costs no database round trip; until then, those stored in its state by central
/// administrators.
/// </summary>
public sealed class ProvinceGrain(
    [PersistentState(RegistryStorage.ProvinceState, RegistryStorage.Name)] IPersistentState<ProvinceState> state,
    CommuneLists communeLists,
    TimeProvider time)
    : Grain, IProvinceGrain
{
    // The national list in force and this province's communes in it, by code; null while no list is in force.
    private CommuneListInForce? _listInForce;
    private FrozenDictionary<string, ListedCommune>? _listed;

    private string Code => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!ProvinceCatalog.IsKnown(Code))
        {
            throw new ArgumentException($"'{Code}' is not a province code.");
        }

        await LoadCommuneListAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ProvinceCounts> GetCountsAsync()
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, IProvinceCounterGrain.Shards)
            .Select(shard => GrainFactory.GetGrain<IProvinceCounterGrain>(IProvinceCounterGrain.Key(Code, shard)).GetTotalsAsync()));
        return ProvinceCounts.Sum(Code, shards, VietnamCalendar.Today(time).Year);
    }

    /// <inheritdoc />
    public async Task<FieldError?> SetCommuneAsync(Commune commune)
    {
        ArgumentNullException.ThrowIfNull(commune);
        var (name, nameError) = RegistrationRules.NormaliseText(commune.Name, "The commune's name", Commune.MaxNameLength);
        if (Commune.CheckCode(commune.Code) is { } malformed)
        {
            return new FieldError("communeCode", malformed);
        }

        if (nameError is not null)
        {
            return new FieldError("name", nameError);
        }

        if (state.State.AbsorbedBy is { } absorbed)
        {
            return new FieldError("name", $"Province {Code} was absorbed into {absorbed.Into}; its communes belong to {absorbed.Into} now.");
        }

        // A commune code is national and belongs to one province: with a list in force, no other code can be added here.
        if (NotListedHere(commune.Code) is { } notListed)
        {
            return notListed;
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
    public Task<Commune[]> GetCommunesAsync() => Task.FromResult(
        _listed is { } listed
            ? listed.Values.OrderBy(static commune => commune.Code, StringComparer.Ordinal).Select(static commune => new Commune(commune.Code, commune.Name)).ToArray()
            : StoredCommunes());

    /// <inheritdoc />
    public Task<CommuneListInForce?> GetCommuneListAsync() => Task.FromResult(_listInForce);

    /// <inheritdoc />
    public Task ReloadCommuneListAsync() => LoadCommuneListAsync(CancellationToken.None);

    /// <inheritdoc />
    public Task<FieldError?> CheckDestinationAsync(string communeCode) => Task.FromResult(
        state.State.AbsorbedBy is { } absorbed
            ? new FieldError("provinceCode",
                $"Province {Code} was absorbed into {absorbed.Into} on {ResidentFields.Text(absorbed.EffectiveOn)} ({absorbed.PlanId}); move people to {absorbed.Into}.")
        : Commune.CheckCode(communeCode) is { } malformed ? new FieldError("communeCode", malformed)
        : _listed is not null ? NotListedHere(communeCode)
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

        // Those stored here, not the national list's: the surviving unit takes the list in force from the list itself.
        return StoredCommunes();
    }

    private Commune[] StoredCommunes() => state.State.Communes.Values.OrderBy(static commune => commune.Code, StringComparer.Ordinal).ToArray();

    // Why the list in force refuses communeCode here: not in the country's list, or in another province's part of it.
    private FieldError? NotListedHere(string communeCode) =>
        _listed is null || _listed.ContainsKey(communeCode)
            ? null
            : new FieldError("communeCode",
                $"Commune or ward {communeCode} is not one of province {Code}'s in the national commune list in force ({_listInForce!.Units}); a commune code belongs to one province.");

    // Once per activation, and when told that a list was imported or a reorganisation made other units current.
    private async Task LoadCommuneListAsync(CancellationToken cancellationToken)
    {
        var plans = await GrainFactory.GetGrain<IProvinceUnitsGrain>(0).GetPlansAsync();
        var today = VietnamCalendar.Today(time);
        if (CommuneList.InForce(await communeLists.StoredUnitsAsync(cancellationToken), plans, today) is not { } units)
        {
            (_listInForce, _listed) = (null, null);
            return;
        }

        // Under a list for units before a merger, the communes of the units merged into this one are this one's now.
        var current = ProvinceUnits.After(plans.TakeWhile(plan => plan.EffectiveOn <= today));
        string[] listedUnder = [.. CommuneList.UnitCodes(units)!.Where(code => current.Resolve(code)?.Code == Code).Order(StringComparer.Ordinal)];
        var communes = await communeLists.CommunesOfAsync(units, listedUnder, cancellationToken);
        (_listInForce, _listed) = (new CommuneListInForce(units, listedUnder), communes.ToFrozenDictionary(static commune => commune.Code, StringComparer.Ordinal));
    }
}
