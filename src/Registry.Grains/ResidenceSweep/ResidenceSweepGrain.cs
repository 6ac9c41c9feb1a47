using System.Globalization;
using Registry.Contracts;
using Registry.Contracts.Identity;
using Registry.Domain.Residents;
using Registry.ReadModel.Residents;

namespace Registry.Grains.ResidenceSweep;

/// <summary>The residence sweep of one province on one day, keyed <c>{province code}/{yyyy-MM-dd}</c>.</summary>
public interface IResidenceSweepGrain : IGrainWithStringKey
{
    /// <summary>Flags every resident away too long on the day; once per province and day, however often it is called.</summary>
    /// <returns>How many residents this sweep flagged in all.</returns>
    Task<long> RunAsync();
}

/// <summary>Stored state of a province's sweep of a day.</summary>
public sealed record ResidenceSweepState
{
    /// <summary>True once a pass found nobody left to flag.</summary>
    public bool Done { get; init; }

    /// <summary>Residents flagged.</summary>
    public long Flagged { get; init; }

    /// <summary>The last number of the pass so far.</summary>
    public PersonalIdNumber? After { get; init; }
}

/// <summary>
/// Flags, for one province and day, every living resident whose last registration away (temporary residence elsewhere,
/// declared absence) ended more than 12 months before the day (Law on Residence 68/2020 Art. 24). The candidates come
/// from the read model in pages; each citizen decides for itself, so a person who registered again meanwhile is left
/// alone. Per province and day, not a reminder per person: 34 small sweeps a day for the country.
/// </summary>
public sealed class ResidenceSweepGrain(
    [PersistentState(RegistryStorage.ResidenceSweepState, RegistryStorage.Name)] IPersistentState<ResidenceSweepState> state,
    ResidentCensus census)
    : Grain, IResidenceSweepGrain
{
    private const int PageSize = 1_000;

    /// <inheritdoc />
    public async Task<long> RunAsync()
    {
        var key = this.GetPrimaryKeyString();
        var province = key[..3];
        var day = DateOnly.ParseExact(key[4..], "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var endedBefore = day.AddMonths(-TemporaryResidences.MonthsAwayBeforeDeletion);
        while (!state.State.Done)
        {
            var page = await census.ListAwayBeforeAsync(province, endedBefore, state.State.After, PageSize);
            var flagged = 0L;
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = 32, TaskScheduler = TaskScheduler.Current }, async (number, _) =>
            {
                if (await GrainFactory.Citizen(number).FlagIfAwayTooLongAsync($"residence-sweep:{key}", day))
                {
                    Interlocked.Increment(ref flagged);
                }
            });

            state.State = state.State with { Flagged = state.State.Flagged + flagged, After = page.Length > 0 ? page[^1] : null, Done = page.Length < PageSize };
            await state.WriteStateAsync();
        }

        return state.State.Flagged;
    }

    /// <summary>The key of the sweep of <paramref name="provinceCode"/> on <paramref name="day"/>.</summary>
    public static string Key(string provinceCode, DateOnly day) => $"{provinceCode}/{day:yyyy-MM-dd}";
}
