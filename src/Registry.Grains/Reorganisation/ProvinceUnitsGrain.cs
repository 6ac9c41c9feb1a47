using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Domain.Provinces;

namespace Registry.Grains.Reorganisation;

/// <summary>Stored state of <see cref="ProvinceUnitsGrain"/>.</summary>
public sealed record ProvinceUnitsState
{
    /// <summary>The plans accepted so far, in order.</summary>
    public IReadOnlyList<ReorganisationPlan> Plans { get; init; } = [];
}

/// <summary>
/// The units as they stand, as the sequence of plans accepted: one grain for the registry, so that two plans started
/// at once are checked one after the other and cannot both absorb the same province.
/// </summary>
public sealed class ProvinceUnitsGrain(
    [PersistentState(RegistryStorage.ProvinceUnitsState, RegistryStorage.Name)] IPersistentState<ProvinceUnitsState> state)
    : Grain, IProvinceUnitsGrain
{
    /// <inheritdoc />
    public async Task<ReorganisationOutcome?> AcceptAsync(ReorganisationPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (state.State.Plans.FirstOrDefault(accepted => accepted.Id == plan.Id) is { } earlier)
        {
            return earlier == plan ? null : new ReorganisationRefused(ReorganisationPlans.IdTaken(plan.Id));
        }

        var (_, errors) = ProvinceUnits.After(state.State.Plans).Apply(plan);
        if (errors.Length > 0)
        {
            return new ReorganisationRefused(Refusal.Invalid(errors));
        }

        await state.StoreOrReloadAsync(this, state.State with { Plans = [.. state.State.Plans, plan] });
        return null;
    }

    /// <inheritdoc />
    public Task<ReorganisationPlan[]> GetPlansAsync() => Task.FromResult(state.State.Plans.ToArray());
}
