using Microsoft.Extensions.Logging;
using Registry.Contracts;
using Registry.Contracts.Provinces;
using Registry.Contracts.Residents;

namespace Registry.Grains.Residents;

/// <summary>Stored state of a person.</summary>
/// <param name="Resident">The record; null while nobody holds the number.</param>
/// <param name="ProvinceCountPending">
/// True from the moment the record is stored until the province has counted the person. Storing the intent
/// first and the province's idempotent count second means a crash in between is finished on the next
/// activation, and never counts the person twice (invariants 1 and 4).
/// </param>
public sealed record CitizenState(ResidentRecord? Resident, bool ProvinceCountPending)
{
    /// <summary>The state of a number nobody holds.</summary>
    public CitizenState() : this(null, false)
    {
    }
}

/// <summary>One person, keyed by their personal ID number; the source of truth for their record.</summary>
public sealed partial class CitizenGrain(
    [PersistentState(RegistryStorage.CitizenState, RegistryStorage.Name)] IPersistentState<CitizenState> state,
    ILogger<CitizenGrain> logger)
    : Grain, ICitizenGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!state.State.ProvinceCountPending)
        {
            return;
        }

        try
        {
            await CountInProvinceAsync();
        }
        catch (Exception ex)
        {
            // Still pending in storage; the next activation or call finishes it.
            LogCountDeferred(logger, ex, this.GetPrimaryKeyString());
        }
    }

    /// <inheritdoc />
    public async Task<ResidentRecord> CreateAsync(ResidentRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.PersonalIdNumber.Value != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"Record for {record.PersonalIdNumber} sent to citizen {this.GetPrimaryKeyString()}.", nameof(record));
        }

        if (state.State.Resident is { } existing)
        {
            if (existing != record)
            {
                // The allocator hands out each number once, so this means a broken invariant, not a user error.
                throw new InvalidOperationException($"Personal ID number {record.PersonalIdNumber} is already held by another person.");
            }
        }
        else
        {
            state.State = new CitizenState(record, ProvinceCountPending: true);
            await state.WriteStateAsync();
        }

        if (state.State.ProvinceCountPending)
        {
            await CountInProvinceAsync();
        }

        return record;
    }

    /// <inheritdoc />
    public Task<ResidentRecord?> GetAsync() => Task.FromResult(state.State.Resident);

    private async Task CountInProvinceAsync()
    {
        var resident = state.State.Resident!;
        var change = new ResidentCountChange(
            OperationId: $"registration:{resident.PersonalIdNumber}",
            resident.PersonalIdNumber,
            Delta: +1,
            ResidentCountReason.Registration);
        await GrainFactory.Province(resident.PermanentResidenceProvince).ApplyResidentChangeAsync(change);

        state.State = state.State with { ProvinceCountPending = false };
        await state.WriteStateAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting citizen {PersonalIdNumber} in their province failed; it stays pending")]
    private static partial void LogCountDeferred(ILogger logger, Exception exception, string personalIdNumber);
}
